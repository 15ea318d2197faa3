using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CustomerProfiles.Sdk
{
    /// <summary>
    /// The Customer Profiles SDK for Xamarin and .NET MAUI apps (.NET Standard 2.0): identify the
    /// app's user and track events with a publishable key, as the web SDK does in pages.
    /// <code>
    /// var profiles = new CustomerProfilesClient(new CustomerProfilesOptions {
    ///     Key = "cpp_…", Endpoint = "https://console.example", AppId = "com.example.shop",
    ///     Directory = FileSystem.AppDataDirectory });
    /// profiles.Identify("email", "ada@example.com");
    /// profiles.Track("app_session", new Dictionary&lt;string, object&gt; { ["platform"] = "ios" });
    /// </code>
    /// Each event gets its <c>event_id</c> here and is written to a file before <c>Track</c>
    /// returns; it stays there until the console has answered for it, so nothing is lost offline
    /// or when the process dies, and an event sent twice is stored once. Events go in batches, one
    /// send at a time, retried with backoff (honouring <c>Retry-After</c>); the ones the console
    /// refuses go to <see cref="CustomerProfilesOptions.OnRejected"/>. A revoked key or an app not
    /// listed for it stops sending until the next start.
    /// </summary>
    public sealed class CustomerProfilesClient : IDisposable
    {
        /// <summary>The SDK's version, sent in <c>User-Agent</c>.</summary>
        public const string Version = "1.0.0";
        /// <summary>Events a request may carry at most.</summary>
        public const int MaxBatch = 1000;
        /// <summary>The identifiers a customer is known by; <see cref="Identify"/> takes one.</summary>
        public static readonly IReadOnlyList<string> Identifiers =
            new[] { "id", "external_id", "email", "phone", "card_number" };

        readonly CustomerProfilesOptions options;
        readonly Uri eventsUrl;
        readonly EventQueue queue;
        readonly string customerFile;
        readonly HttpClient http;
        readonly SemaphoreSlim sending = new SemaphoreSlim(1, 1);
        readonly Timer timer;
        readonly object timerGate = new object();
        readonly Random jitter = new Random();
        DateTime? timerDue;
        volatile int batchSize;
        volatile bool stopped;
        volatile bool disposed;
        Dictionary<string, object> customer;
        int failures;
        readonly Uri geofencesUrl;
        /// <summary>The last geofence list fetched, and until when it is fresh.</summary>
        Tuple<IReadOnlyList<Geofence>, DateTime> fences;
        /// <summary>How long a fetched geofence list is used, as the console's Cache-Control says.</summary>
        static readonly TimeSpan GeofencesFor = TimeSpan.FromMinutes(5);

        /// <summary>Starts a client; sends what an earlier run left queued.</summary>
        public CustomerProfilesClient(CustomerProfilesOptions options)
        {
            this.options = options.Checked();
            eventsUrl = new Uri(options.Endpoint.TrimEnd('/') + "/api/v1/events");
            geofencesUrl = new Uri(eventsUrl, "geofences");
            queue = new EventQueue(Path.Combine(options.Directory, "queue"));
            customerFile = Path.Combine(options.Directory, "customer.json");
            customer = StoredCustomer(customerFile);
            batchSize = options.BatchSize;
            http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", options.Key);
            http.DefaultRequestHeaders.Add("X-Client-App", options.AppId);
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "customer-profiles-dotnet/" + Version);
            timer = new Timer(_ => FlushAsync(), null, Timeout.Infinite, Timeout.Infinite);
            if (queue.Count > 0) Schedule(TimeSpan.Zero);
        }

        /// <summary>Says who the app's user is: <paramref name="kind"/> one of <see cref="Identifiers"/>.</summary>
        public CustomerProfilesClient Identify(string kind, string value)
        {
            if (!Identifiers.Contains(kind) || string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("Identify() takes one of " + string.Join(", ", Identifiers)
                    + " and a value, e.g. Identify(\"email\", \"ada@example.com\")");
            }
            var who = new Dictionary<string, object> { [kind] = value.Trim() };
            EventQueue.WriteDurably(customerFile, Json.Write(who));
            Volatile.Write(ref customer, who);
            return this;
        }

        /// <summary>Forgets the user (signing out); queued events keep the customer they were for.</summary>
        public CustomerProfilesClient Reset()
        {
            File.Delete(customerFile);
            Volatile.Write(ref customer, null);
            return this;
        }

        /// <summary>
        /// Queues an event of <paramref name="type"/> with <paramref name="payload"/>; returns its
        /// event_id (<paramref name="eventId"/> when the app gives its own: the same id twice is
        /// stored once). Throws <see cref="IOException"/> when the queue cannot be written: the
        /// event is then not tracked.
        /// </summary>
        public string Track(string type, IDictionary<string, object> payload,
            string eventId = null, DateTimeOffset? occurredAt = null)
        {
            if (string.IsNullOrEmpty(type)) throw new ArgumentException("Track() needs an event type");
            var who = Volatile.Read(ref customer);
            if (who == null) throw new InvalidOperationException("Identify() a customer before Track()");
            eventId = eventId ?? Guid.NewGuid().ToString();
            var when = (occurredAt ?? DateTimeOffset.UtcNow).UtcDateTime;
            var evt = new Dictionary<string, object>
            {
                ["event_id"] = eventId,
                ["type"] = type,
                ["occurred_at"] = when.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["customer"] = who,
                ["source"] = options.Source,
                ["payload"] = payload ?? new Dictionary<string, object>(),
            };
            queue.Add(eventId, Json.Write(evt));
            var waiting = queue.Count;
            if (waiting > options.MaxQueue)
            {
                var dropped = queue.TrimTo(options.MaxQueue);
                Report(new SendError("queue_full", dropped + " oldest events dropped: more than "
                    + options.MaxQueue + " waiting", 0, null));
            }
            Schedule(waiting >= batchSize ? TimeSpan.Zero : options.FlushInterval);
            return eventId;
        }

        /// <summary>Tells the console the device entered geofence <paramref name="geofenceId"/> (one of <see cref="GetGeofencesAsync"/>).</summary>
        public string GeofenceEntered(string geofenceId) =>
            Track("geofence_entered", new Dictionary<string, object> { ["geofence_id"] = geofenceId });

        /// <summary>Tells the console the device left geofence <paramref name="geofenceId"/> after <paramref name="dwell"/>.</summary>
        public string GeofenceExited(string geofenceId, TimeSpan dwell) =>
            Track("geofence_exited", new Dictionary<string, object>
            {
                ["geofence_id"] = geofenceId,
                ["dwell_seconds"] = (long)dwell.TotalSeconds,
            });

        /// <summary>
        /// The active geofences to monitor (Admin → Locations), from the console at most every
        /// five minutes. Throws <see cref="HttpRequestException"/> when the console cannot be
        /// reached or refuses the key (the message says why) and nothing is cached.
        /// </summary>
        public async Task<IReadOnlyList<Geofence>> GetGeofencesAsync()
        {
            var cached = Volatile.Read(ref fences);
            if (cached != null && DateTime.UtcNow < cached.Item2) return cached.Item1;
            string text;
            int status;
            using (var response = await http.GetAsync(geofencesUrl).ConfigureAwait(false))
            {
                status = (int)response.StatusCode;
                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            var list = Get(ObjectOf(text), "geofences") as List<object>;
            if (status != 200 || list == null)
            {
                if (cached != null) return cached.Item1;
                throw new HttpRequestException("The console answered " + status + ": " + text);
            }
            IReadOnlyList<Geofence> read = list.OfType<Dictionary<string, object>>()
                .Select(Geofence.Of).Where(g => g != null).ToList().AsReadOnly();
            Volatile.Write(ref fences, Tuple.Create(read, DateTime.UtcNow + GeofencesFor));
            return read;
        }

        /// <summary>How many events wait for the console's answer.</summary>
        public int Pending => queue.Count;

        /// <summary>Sends what waits now (one batch); call it when the device comes back online.</summary>
        public async Task FlushAsync()
        {
            if (disposed) return;
            await sending.WaitAsync().ConfigureAwait(false);
            try
            {
                if (!stopped && !disposed) await SendAsync().ConfigureAwait(false);
            }
            finally
            {
                sending.Release();
            }
        }

        /// <summary>Stops sending; waiting events stay queued for the next start.</summary>
        public void Dispose()
        {
            disposed = true;
            timer.Dispose();
            http.Dispose();
        }

        void Schedule(TimeSpan delay)
        {
            lock (timerGate)
            {
                if (disposed) return;
                var due = DateTime.UtcNow + delay;
                if (timerDue.HasValue && timerDue.Value > DateTime.UtcNow && delay > TimeSpan.Zero) return;
                timerDue = due;
                timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }

        async Task SendAsync()
        {
            var batch = queue.Oldest(batchSize);
            if (batch.Count == 0) return;
            var body = "{\"events\":[" + string.Join(",", batch.Select(e => e.Json)) + "]}";
            HttpResponseMessage response;
            string text;
            try
            {
                var content = new StringContent(body, EventQueue.Utf8, "application/json");
                response = await http.PostAsync(eventsUrl, content).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException || e is IOException || e is ObjectDisposedException)
            {
                Retry(null, new SendError("network", e.Message, 0, null));
                return;
            }
            using (response) Answered(batch, response, text);
        }

        void Answered(List<EventQueue.Entry> batch, HttpResponseMessage response, string text)
        {
            var status = (int)response.StatusCode;
            var json = ObjectOf(text);
            var results = Get(json, "results") as List<object>;
            if (results != null)
            {
                Settle(batch, results);
                return;
            }
            var error = Get(json, "error") as Dictionary<string, object> ?? json;
            var code = Get(error, "code") as string ?? "http_" + status;
            var message = Get(error, "message") as string ?? "HTTP " + status;
            if (status == 429 || status >= 500)
            {
                Retry(response.Headers.RetryAfter?.Delta, new SendError(code, message, status, null));
            }
            else if (status == 413 && batch.Count > 1)
            {
                // More events than the key may send in a minute: smaller batches.
                batchSize = Math.Max(1, batch.Count / 2);
                Schedule(TimeSpan.Zero);
            }
            else if (status == 401 || status == 403)
            {
                // A revoked key or an app not listed for it: nothing goes through until an admin acts.
                stopped = true;
                Report(new SendError(code, message, status, null));
            }
            else
            {
                // The batch itself is malformed; resending cannot fix it.
                queue.Remove(batch);
                Report(new SendError(code, message, status, null));
            }
        }

        void Settle(List<EventQueue.Entry> batch, List<object> results)
        {
            var settled = new List<EventQueue.Entry>();
            foreach (var item in results.OfType<Dictionary<string, object>>())
            {
                var index = Get(item, "index") as long?;
                if (!index.HasValue || index.Value < 0 || index.Value >= batch.Count) continue;
                var entry = batch[(int)index.Value];
                settled.Add(entry);
                if (Get(item, "status") as string == "rejected")
                {
                    var eventId = Get(ObjectOf(entry.Json), "event_id") as string;
                    var errors = (Get(item, "errors") as List<object> ?? new List<object>())
                        .OfType<Dictionary<string, object>>().ToList();
                    try { options.OnRejected?.Invoke(eventId, entry.Json, errors); }
                    catch (Exception) { /* The app's handler failing must not stop sending. */ }
                }
            }
            if (settled.Count == 0)
            {
                // An answer about none of the batch (not the console's): try again later, not at once.
                Retry(null, new SendError("unexpected_answer", "The answer named none of the events sent", 200, null));
                return;
            }
            queue.Remove(settled);
            failures = 0;
            if (queue.Count > 0) Schedule(TimeSpan.Zero);
        }

        void Retry(TimeSpan? retryAfter, SendError error)
        {
            failures += 1;
            var backoff = Math.Min(60000, 1000 << Math.Min(failures - 1, 6));
            double jitterFactor;
            lock (jitter) jitterFactor = 0.5 + jitter.NextDouble() / 2;
            var wait = retryAfter.HasValue && retryAfter.Value > TimeSpan.Zero
                ? retryAfter.Value
                : TimeSpan.FromMilliseconds(backoff * jitterFactor);
            Schedule(wait);
            Report(new SendError(error.Code, error.Message, error.Status, wait));
        }

        void Report(SendError error)
        {
            try { options.OnError?.Invoke(error); }
            catch (Exception) { /* The app's handler failing must not stop sending. */ }
        }

        static object Get(Dictionary<string, object> map, string key)
        {
            object value;
            return map.TryGetValue(key, out value) ? value : null;
        }

        static Dictionary<string, object> ObjectOf(string text)
        {
            try
            {
                return Json.Parse(text) as Dictionary<string, object> ?? new Dictionary<string, object>();
            }
            catch (FormatException)
            {
                return new Dictionary<string, object>();
            }
        }

        static Dictionary<string, object> StoredCustomer(string file)
        {
            if (!File.Exists(file)) return null;
            try
            {
                var who = ObjectOf(File.ReadAllText(file, EventQueue.Utf8));
                return who.Count == 1 ? who : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>The options of a <see cref="CustomerProfilesClient"/>.</summary>
    public sealed class CustomerProfilesOptions
    {
        /// <summary>A publishable key (<c>cpp_…</c>) from Admin → API keys.</summary>
        public string Key { get; set; }
        /// <summary>The console's address, e.g. <c>https://console.example</c>.</summary>
        public string Endpoint { get; set; }
        /// <summary>The app's id as listed for the key (<c>app:com.example.shop</c>): the bundle or application id.</summary>
        public string AppId { get; set; }
        /// <summary>A directory the app owns, for the queue.</summary>
        public string Directory { get; set; }
        /// <summary>Where the events say they came from (default <c>dotnet</c>; e.g. <c>ios</c> or <c>android</c>).</summary>
        public string Source { get; set; } = "dotnet";
        /// <summary>Events a request carries (1 to 1,000; default 20).</summary>
        public int BatchSize { get; set; } = 20;
        /// <summary>How long a lone event waits for others before it is sent (default 5 s).</summary>
        public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>Events kept while the console cannot be reached; the oldest go first (default 5,000).</summary>
        public int MaxQueue { get; set; } = 5000;
        /// <summary>The console refused an event for good: its id, its JSON, the console's errors (field, message).</summary>
        public Action<string, string, IReadOnlyList<Dictionary<string, object>>> OnRejected { get; set; }
        /// <summary>A send did not go through, or events were dropped.</summary>
        public Action<SendError> OnError { get; set; }

        internal CustomerProfilesOptions Checked()
        {
            if (Key == null || !Key.StartsWith("cpp_", StringComparison.Ordinal))
                throw new ArgumentException("A publishable key (cpp_…) from Admin → API keys");
            if (string.IsNullOrWhiteSpace(AppId) || string.IsNullOrEmpty(Directory))
                throw new ArgumentException("The app's id (as listed for the key) and a directory for the queue");
            if (!Uri.TryCreate((Endpoint ?? "").TrimEnd('/'), UriKind.Absolute, out _))
                throw new ArgumentException("The console's address, e.g. https://console.example");
            AppId = AppId.Trim();
            BatchSize = Math.Min(Math.Max(BatchSize, 1), CustomerProfilesClient.MaxBatch);
            MaxQueue = Math.Max(1, MaxQueue);
            return this;
        }
    }

    /// <summary>
    /// Why a send did not go through: the console's error code (<c>rate_limited</c>,
    /// <c>invalid_api_key</c>, <c>origin_not_allowed</c>…, or <c>network</c> when it was not
    /// reached, <c>http_NNN</c> when it answered without one), its message, and when the SDK
    /// tries again (null: it does not: the events were dropped or the key refused).
    /// </summary>
    public sealed class SendError
    {
        /// <summary>The console's code, <c>network</c> or <c>http_NNN</c>.</summary>
        public string Code { get; }
        /// <summary>What went wrong, in words.</summary>
        public string Message { get; }
        /// <summary>HTTP status, or 0 when the console was not reached.</summary>
        public int Status { get; }
        /// <summary>Time until the next try; null when none is planned.</summary>
        public TimeSpan? RetryIn { get; }

        internal SendError(string code, string message, int status, TimeSpan? retryIn)
        {
            Code = code;
            Message = message;
            Status = status;
            RetryIn = retryIn;
        }

        /// <inheritdoc/>
        public override string ToString() =>
            Code + ": " + Message + (RetryIn.HasValue ? " (again in " + RetryIn.Value.TotalMilliseconds + " ms)" : "");
    }
}
