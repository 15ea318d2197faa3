using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace CustomerProfiles.Sdk.Tests
{
    /// <summary>
    /// The SDK against the real console the test command starts (its address, keys and a customer
    /// come as environment variables, see <c>server/tests/suite/mobile_sdks.rs</c>). Every event id
    /// a test expects stored is appended to <c>CP_EXPECTED</c>; the Rust side then checks the
    /// database holds each exactly once, and nothing else from this app.
    /// </summary>
    [TestFixture]
    public class ServerTests
    {
        static readonly string Endpoint = Environment.GetEnvironmentVariable("CP_ENDPOINT");
        static readonly string Key = Environment.GetEnvironmentVariable("CP_KEY");
        static readonly string LimitedKey = Environment.GetEnvironmentVariable("CP_LIMITED_KEY");
        static readonly string App = Environment.GetEnvironmentVariable("CP_APP");
        static readonly string Customer = Environment.GetEnvironmentVariable("CP_EXTERNAL_ID");
        static readonly Dictionary<string, object> Session = new Dictionary<string, object> { ["platform"] = "ios" };
        string folder;

        /// <summary>What the SDK told the app.</summary>
        sealed class Heard
        {
            internal readonly ConcurrentQueue<string> Rejected = new ConcurrentQueue<string>();
            internal readonly ConcurrentQueue<int> RejectedErrors = new ConcurrentQueue<int>();
            internal readonly ConcurrentQueue<SendError> Errors = new ConcurrentQueue<SendError>();
            internal SendError Last => Errors.Last();
        }

        [SetUp]
        public void CreateFolder()
        {
            folder = Path.Combine(Path.GetTempPath(), "cp-dotnet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
        }

        [TearDown]
        public void RemoveFolder() { Directory.Delete(folder, true); }

        static CustomerProfilesClient Client(string key, string endpoint, string directory, Heard heard, string app = null)
        {
            return new CustomerProfilesClient(new CustomerProfilesOptions
            {
                Key = key, Endpoint = endpoint, AppId = app ?? App, Directory = directory, Source = "xamarin",
                FlushInterval = TimeSpan.FromMinutes(1),
                OnRejected = (id, json, errors) => { heard.Rejected.Enqueue(id); heard.RejectedErrors.Enqueue(errors.Count); },
                OnError = error => heard.Errors.Enqueue(error),
            });
        }

        static void ExpectStored(IEnumerable<string> ids)
        {
            File.AppendAllLines(Environment.GetEnvironmentVariable("CP_EXPECTED"), ids);
        }

        static void WaitFor(string what, Func<bool> done)
        {
            var clock = Stopwatch.StartNew();
            while (!done())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail("gave up waiting: " + what);
                Thread.Sleep(20);
            }
        }

        [Test]
        public void EventsTrackedOfflineGoWhenTheNetworkIsBack()
        {
            var heard = new Heard();
            using (var network = new Proxy(new Uri(Endpoint).Port))
            using (var profiles = Client(Key, network.Endpoint, folder, heard))
            {
                profiles.Identify("external_id", Customer);
                var ids = Enumerable.Range(0, 3).Select(_ => profiles.Track("app_session", Session)).ToList();
                profiles.FlushAsync().Wait();
                Assert.AreEqual(3, profiles.Pending, "nothing leaves while offline");
                Assert.AreEqual("network", heard.Last.Code);
                Assert.IsTrue(heard.Last.RetryIn > TimeSpan.Zero, "a retry is planned");

                network.Start();
                profiles.FlushAsync().Wait();
                Assert.AreEqual(0, profiles.Pending);
                Assert.IsEmpty(heard.Rejected);
                ExpectStored(ids);
            }
        }

        [Test]
        public void AnAppKilledMidBatchSendsEachEventOnceAfterARestart()
        {
            var directory = Path.Combine(folder, "killed");
            List<string> ids;
            using (var network = new Proxy(new Uri(Endpoint).Port))
            {
                network.Start();
                network.SwallowAnswers();
                var killedApp = Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "KilledApp.exe");
                var start = new ProcessStartInfo("mono", string.Join(" ", new[] { killedApp, directory, network.Endpoint, Key, App, Customer, "40" }.Select(a => "\"" + a + "\"")))
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                };
                using (var app = Process.Start(start))
                {
                    var line = app.StandardOutput.ReadLine();
                    Assert.IsTrue(line != null && line.StartsWith("tracked ", StringComparison.Ordinal), "the app tracked its events: " + line);
                    ids = line.Substring("tracked ".Length).Split(',').ToList();
                    Assert.AreEqual(40, ids.Count);
                    // The console stored a batch; the app dies before hearing so.
                    Assert.IsTrue(network.Swallowed.Wait(TimeSpan.FromSeconds(20)), "a batch reached the console");
                    app.Kill();
                    app.WaitForExit();
                }
                ExpectStored(ids);
            }
            var heard = new Heard();
            using (var restarted = Client(Key, Endpoint, directory, heard))
            {
                Assert.AreEqual(40, restarted.Pending, "every tracked event survived the kill");
                WaitFor("the queue to empty", () => restarted.Pending == 0);
                Assert.IsEmpty(heard.Errors, string.Join("; ", heard.Errors));
            }
        }

        [Test]
        public void AnEventTheKeyMayNotSendGoesToOnRejectedAndIsNotSentAgain()
        {
            var heard = new Heard();
            using (var profiles = Client(Key, Endpoint, folder, heard))
            {
                profiles.Identify("external_id", Customer);
                var points = profiles.Track("points_earned", new Dictionary<string, object> { ["points"] = 500 });
                var session = profiles.Track("app_session", Session);
                profiles.FlushAsync().Wait();
                CollectionAssert.AreEqual(new[] { points }, heard.Rejected.ToArray());
                Assert.Greater(heard.RejectedErrors.First(), 0, "the console says why");
                Assert.AreEqual(0, profiles.Pending);
                ExpectStored(new[] { session });
            }
        }

        [Test]
        public void OverItsRateTheKeyWaitsAsRetryAfterSaysAndKeepsItsEvents()
        {
            var heard = new Heard();
            using (var profiles = Client(LimitedKey, Endpoint, folder, heard))
            {
                profiles.Identify("external_id", Customer);
                var first = Enumerable.Range(0, 3).Select(_ => profiles.Track("app_session", Session)).ToList();
                profiles.FlushAsync().Wait();
                Assert.AreEqual(0, profiles.Pending);
                ExpectStored(first);

                profiles.Track("app_session", Session);
                profiles.FlushAsync().Wait();
                var limited = heard.Last;
                Assert.AreEqual("rate_limited", limited.Code);
                Assert.AreEqual(429, limited.Status);
                Assert.IsTrue(limited.RetryIn >= TimeSpan.FromSeconds(1), "Retry-After is honoured: " + limited);
                Assert.AreEqual(1, profiles.Pending, "the event waits");
            }
        }

        [Test]
        public void ARevokedKeyOrAnUnlistedAppStopsSendingAndKeepsTheEvents()
        {
            var heard = new Heard();
            using (var profiles = Client("cpp_unknown000000000000000000000000", Endpoint, Path.Combine(folder, "a"), heard))
            {
                profiles.Identify("external_id", Customer);
                profiles.Track("app_session", Session);
                profiles.FlushAsync().Wait();
                Assert.AreEqual("invalid_api_key", heard.Last.Code);
                Assert.IsNull(heard.Last.RetryIn);
                var heardBefore = heard.Errors.Count;
                profiles.FlushAsync().Wait();
                Assert.AreEqual(heardBefore, heard.Errors.Count, "stopped: nothing more is sent");
                Assert.AreEqual(1, profiles.Pending);
            }
            var other = new Heard();
            using (var profiles = Client(Key, Endpoint, Path.Combine(folder, "b"), other, "com.example.other"))
            {
                profiles.Identify("external_id", Customer);
                profiles.Track("app_session", Session);
                profiles.FlushAsync().Wait();
                Assert.AreEqual("origin_not_allowed", other.Last.Code);
                Assert.AreEqual(403, other.Last.Status);
                Assert.AreEqual(1, profiles.Pending);
            }
        }

        [Test]
        public void TheActiveGeofencesAreFetchedAndVisitsToThemSent()
        {
            var heard = new Heard();
            using (var profiles = Client(Key, Endpoint, folder, heard))
            {
                var fences = profiles.GetGeofencesAsync().Result;
                Assert.IsNotEmpty(fences, "the demo's geofences");
                var fence = fences[0];
                Assert.IsTrue(fence.RadiusMeters >= 50 && Math.Abs(fence.Latitude) <= 90);
                Assert.AreSame(fences, profiles.GetGeofencesAsync().Result, "cached");
                profiles.Identify("external_id", Customer);
                var entered = profiles.GeofenceEntered(fence.Id);
                var exited = profiles.GeofenceExited(fence.Id, TimeSpan.FromMinutes(7));
                profiles.FlushAsync().Wait();
                Assert.AreEqual(0, profiles.Pending);
                Assert.IsEmpty(heard.Rejected);
                ExpectStored(new[] { entered, exited });
            }
            using (var stranger = Client(Key, Endpoint, Path.Combine(folder, "stranger"), new Heard(), "com.example.other"))
            {
                var error = Assert.Throws<AggregateException>(() => stranger.GetGeofencesAsync().Wait());
                StringAssert.Contains("403", error.InnerException.Message, "an unlisted app gets no geofences");
            }
        }

        [Test]
        public void AnAnswerNamingNoneOfTheBatchIsRetriedLaterNotAtOnce()
        {
            var port = new Proxy(1).Port;
            var requests = 0;
            var stranger = new System.Net.HttpListener();
            stranger.Prefixes.Add("http://127.0.0.1:" + port + "/");
            stranger.Start();
            System.Threading.Tasks.Task.Run(() =>
            {
                while (stranger.IsListening)
                {
                    System.Net.HttpListenerContext context;
                    try { context = stranger.GetContext(); } catch (Exception) { return; }
                    Interlocked.Increment(ref requests);
                    var body = System.Text.Encoding.UTF8.GetBytes("{\"results\": []}");
                    context.Response.ContentType = "application/json";
                    context.Response.OutputStream.Write(body, 0, body.Length);
                    context.Response.Close();
                }
            });
            var heard = new Heard();
            try
            {
                using (var profiles = Client(Key, "http://127.0.0.1:" + port, folder, heard))
                {
                    profiles.Identify("external_id", Customer);
                    profiles.Track("app_session", Session);
                    profiles.FlushAsync().Wait();
                    Thread.Sleep(300);
                    Assert.AreEqual(1, Volatile.Read(ref requests), "no tight loop");
                    Assert.AreEqual("unexpected_answer", heard.Last.Code);
                    Assert.IsTrue(heard.Last.RetryIn > TimeSpan.Zero);
                    Assert.AreEqual(1, profiles.Pending);
                }
            }
            finally
            {
                stranger.Stop();
            }
        }

        [Test]
        public void TheCustomerIsRememberedAcrossRestarts()
        {
            using (var profiles = Client(Key, Endpoint, folder, new Heard()))
            {
                profiles.Identify("email", "  ada@example.com ");
            }
            using (var profiles = Client(Key, Endpoint, folder, new Heard()))
            {
                Assert.AreEqual("{\"email\":\"ada@example.com\"}", File.ReadAllText(Path.Combine(folder, "customer.json")));
                profiles.Reset();
                Assert.Throws<InvalidOperationException>(() => profiles.Track("app_session", Session));
                Assert.AreEqual(0, profiles.Pending);
            }
        }
    }
}
