using System.Runtime.CompilerServices;

// The tests read the queue directly.
[assembly: InternalsVisibleTo("CustomerProfiles.Sdk.Tests")]
