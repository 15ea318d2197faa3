using System;
using System.Collections.Generic;
using System.Threading;

namespace CustomerProfiles.Sdk.Tests
{
    /// <summary>
    /// An app in a process of its own, killed by the test mid-send: tracks <c>count</c> events in
    /// batches of 10 for the customer with external id <c>externalId</c>, prints their ids on one
    /// line (<c>tracked id,id,…</c>) once all are queued, then waits to be killed.
    /// Arguments: directory, endpoint, key, app id, external id, count.
    /// </summary>
    static class KilledApp
    {
        static void Main(string[] args)
        {
            var profiles = new CustomerProfilesClient(new CustomerProfilesOptions
            {
                Directory = args[0], Endpoint = args[1], Key = args[2], AppId = args[3],
                Source = "xamarin", BatchSize = 10, FlushInterval = TimeSpan.FromMinutes(1),
            });
            profiles.Identify("external_id", args[4]);
            var ids = new List<string>();
            for (var i = 0; i < int.Parse(args[5]); i++)
            {
                ids.Add(profiles.Track("app_session", new Dictionary<string, object> { ["platform"] = "ios" }));
            }
            Console.WriteLine("tracked " + string.Join(",", ids));
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
