package com.customerprofiles.sdk;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Customer Profiles SDK for Android apps (and any JVM): identify the app's user and track
 * events with a publishable key, as the web SDK does in pages.
 *
 * <pre>
 * CustomerProfiles profiles = CustomerProfiles
 *     .builder("cpp_…", "https://console.example", "com.example.shop", context.getFilesDir())
 *     .build();
 * profiles.identify("email", "ada@example.com");
 * profiles.track("app_session", Collections.singletonMap("platform", "android"));
 * </pre>
 *
 * Each event gets its {@code event_id} here and is written to a file before {@code track}
 * returns; it stays there until the console has answered for it, so nothing is lost offline or
 * when the process dies, and an event sent twice is stored once. Events go in batches from one
 * background thread, are retried with backoff (honouring {@code Retry-After}), and the ones the
 * console refuses go to {@link Listener#onRejected}. A revoked key or an app not listed for it
 * stops sending until the next start.
 */
public final class CustomerProfiles implements Closeable {
    /** The SDK's version, sent in {@code User-Agent}. */
    public static final String VERSION = "1.0.0";
    /** The identifiers a customer is known by; {@link #identify} takes one. */
    public static final List<String> IDENTIFIERS =
            Collections.unmodifiableList(Arrays.asList("id", "external_id", "email", "phone", "card_number"));
    /** Events a request may carry at most. */
    public static final int MAX_BATCH = 1000;

    private final String key;
    private final URL eventsUrl;
    private final String appId;
    private final String source;
    private final Listener listener;
    private final EventQueue queue;
    private final File customerFile;
    private final int maxQueue;
    private final long flushIntervalMillis;
    private final ScheduledExecutorService sender;
    private volatile int batchSize;
    private volatile boolean stopped;
    private volatile Map<String, Object> customer;
    /** Guarded by {@code this}. */
    private ScheduledFuture<?> timer;
    /** Sending thread only. */
    private int failures;
    private final URL geofencesUrl;
    /** Guarded by {@code this}: the last list fetched, and until when it is fresh. */
    private List<Geofence> fences;
    private long fencesUntil;
    /** How long a fetched geofence list is used, as the console's Cache-Control says. */
    private static final long GEOFENCES_FOR_MILLIS = 5 * 60 * 1000;

    private CustomerProfiles(Builder options) throws IOException {
        this.key = options.key;
        this.eventsUrl = options.eventsUrl;
        this.geofencesUrl = new URL(options.eventsUrl, "geofences");
        this.appId = options.appId;
        this.source = options.source;
        this.listener = options.listener;
        this.queue = new EventQueue(new File(options.directory, "queue"));
        this.customerFile = new File(options.directory, "customer.json");
        this.maxQueue = options.maxQueue;
        this.flushIntervalMillis = options.flushIntervalMillis;
        this.batchSize = options.batchSize;
        this.customer = Stored.customer(customerFile);
        this.sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "customer-profiles-sender");
            thread.setDaemon(true);
            return thread;
        });
        if (queue.size() > 0) {
            schedule(0);
        }
    }

    /**
     * Starts a client for a publishable key ({@code cpp_…}): the console's address, the app's
     * id as listed for the key ({@code app:com.example.shop} on the API keys screen), and a
     * directory the app owns for the queue ({@code context.getFilesDir()}).
     */
    public static Builder builder(String key, String endpoint, String appId, File directory) {
        return new Builder(key, endpoint, appId, directory);
    }

    /** Says who the app's user is: {@code kind} one of {@link #IDENTIFIERS}. */
    public CustomerProfiles identify(String kind, String value) throws IOException {
        if (!IDENTIFIERS.contains(kind) || value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException("identify() takes one of " + IDENTIFIERS
                    + " and a value, e.g. identify(\"email\", \"ada@example.com\")");
        }
        Map<String, Object> who = Collections.<String, Object>singletonMap(kind, value.trim());
        EventQueue.writeDurably(customerFile, Json.write(who));
        customer = who;
        return this;
    }

    /** Forgets the user (signing out); queued events keep the customer they were for. */
    public CustomerProfiles reset() {
        customerFile.delete();
        customer = null;
        return this;
    }

    /** Queues an event of {@code type} with {@code payload}, now; returns its event_id. */
    public String track(String type, Map<String, ?> payload) throws IOException {
        return track(type, payload, UUID.randomUUID().toString(), new Date());
    }

    /**
     * Queues an event with the app's own {@code eventId} (the same id twice is stored once) and
     * time; returns the id. Throws {@link IOException} when the queue cannot be written: the event
     * is then not tracked.
     */
    public String track(String type, Map<String, ?> payload, String eventId, Date occurredAt) throws IOException {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("track() needs an event type");
        }
        Map<String, Object> who = customer;
        if (who == null) {
            throw new IllegalStateException("identify() a customer before track()");
        }
        Map<String, Object> event = new LinkedHashMap<String, Object>();
        event.put("event_id", eventId);
        event.put("type", type);
        event.put("occurred_at", iso8601(occurredAt));
        event.put("customer", who);
        event.put("source", source);
        event.put("payload", payload == null ? Collections.emptyMap() : payload);
        queue.add(eventId, Json.write(event));
        int waiting = queue.size();
        if (waiting > maxQueue) {
            int dropped = queue.trimTo(maxQueue);
            report(new SendError("queue_full", dropped + " oldest events dropped: more than "
                    + maxQueue + " waiting", 0, -1));
        }
        schedule(waiting >= batchSize ? 0 : flushIntervalMillis);
        return eventId;
    }

    /** Tells the console the device entered geofence {@code geofenceId} (one of {@link #geofences}). */
    public String geofenceEntered(String geofenceId) throws IOException {
        return track("geofence_entered", Collections.singletonMap("geofence_id", geofenceId));
    }

    /** Tells the console the device left geofence {@code geofenceId} after {@code dwellSeconds}. */
    public String geofenceExited(String geofenceId, long dwellSeconds) throws IOException {
        Map<String, Object> payload = new LinkedHashMap<String, Object>();
        payload.put("geofence_id", geofenceId);
        payload.put("dwell_seconds", dwellSeconds);
        return track("geofence_exited", payload);
    }

    /**
     * The active geofences to monitor (Admin → Locations), from the console at most every five
     * minutes; blocks, so call it off the main thread. Throws {@link IOException} when the console
     * cannot be reached or refuses the key (the message says why) and nothing is cached.
     */
    public synchronized List<Geofence> geofences() throws IOException {
        long now = System.currentTimeMillis();
        if (fences != null && now < fencesUntil) {
            return fences;
        }
        Http.Answer answer = Http.get(geofencesUrl, key, appId);
        Object list = Stored.object(answer.body).get("geofences");
        if (answer.status != 200 || !(list instanceof List)) {
            if (fences != null) {
                return fences;
            }
            throw new IOException("The console answered " + answer.status + ": " + answer.body);
        }
        List<Geofence> read = new ArrayList<Geofence>();
        for (Object entry : (List<?>) list) {
            Geofence fence = entry instanceof Map ? Geofence.of((Map<?, ?>) entry) : null;
            if (fence != null) {
                read.add(fence);
            }
        }
        fences = Collections.unmodifiableList(read);
        fencesUntil = now + GEOFENCES_FOR_MILLIS;
        return fences;
    }

    /** Sends what waits now (one batch); call it when the device comes back online. */
    public Future<?> flush() {
        return sender.submit(this::send);
    }

    /** How many events wait for the console's answer. */
    public int pending() {
        return queue.size();
    }

    /** Stops the sending thread; waiting events stay queued for the next start. */
    @Override
    public void close() {
        sender.shutdownNow();
    }

    private synchronized void schedule(long delayMillis) {
        if (sender.isShutdown()) {
            return;
        }
        if (timer != null && !timer.isDone()) {
            if (delayMillis > 0) {
                return;
            }
            timer.cancel(false);
        }
        timer = sender.schedule(this::send, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** One batch: sent, and the answer handled. Runs on the sending thread only. */
    private void send() {
        if (stopped) {
            return;
        }
        List<EventQueue.Entry> batch;
        try {
            batch = queue.oldest(batchSize);
        } catch (IOException e) {
            report(new SendError("storage", String.valueOf(e.getMessage()), 0, -1));
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.get(i).json);
        }
        Http.Answer answer;
        try {
            answer = Http.post(eventsUrl, key, appId, body.append("]}").toString());
        } catch (IOException e) {
            retry(-1, new SendError("network", String.valueOf(e.getMessage()), 0, 0));
            return;
        }
        answered(batch, answer);
    }

    private void answered(List<EventQueue.Entry> batch, Http.Answer answer) {
        Map<?, ?> json = Stored.object(answer.body);
        if (json.get("results") instanceof List) {
            settle(batch, (List<?>) json.get("results"));
            return;
        }
        Map<?, ?> error = json.get("error") instanceof Map ? (Map<?, ?>) json.get("error") : json;
        String code = error.get("code") instanceof String ? (String) error.get("code") : "http_" + answer.status;
        String message = error.get("message") instanceof String ? (String) error.get("message") : "HTTP " + answer.status;
        if (answer.status == 429 || answer.status >= 500) {
            retry(answer.retryAfterSeconds, new SendError(code, message, answer.status, 0));
        } else if (answer.status == 413 && batch.size() > 1) {
            // More events than the key may send in a minute: smaller batches.
            batchSize = Math.max(1, batch.size() / 2);
            schedule(0);
        } else if (answer.status == 401 || answer.status == 403) {
            // A revoked key or an app not listed for it: nothing goes through until an admin acts.
            stopped = true;
            report(new SendError(code, message, answer.status, -1));
        } else {
            // The batch itself is malformed; resending cannot fix it.
            queue.remove(batch);
            report(new SendError(code, message, answer.status, -1));
        }
    }

    private void settle(List<EventQueue.Entry> batch, List<?> results) {
        List<EventQueue.Entry> settled = new ArrayList<EventQueue.Entry>();
        for (Object item : results) {
            Map<?, ?> result = item instanceof Map ? (Map<?, ?>) item : Collections.emptyMap();
            Object index = result.get("index");
            if (!(index instanceof Long) || (Long) index < 0 || (Long) index >= batch.size()) {
                continue;
            }
            EventQueue.Entry entry = batch.get(((Long) index).intValue());
            settled.add(entry);
            if ("rejected".equals(result.get("status"))) {
                Object eventId = Stored.object(entry.json).get("event_id");
                listener.onRejected(String.valueOf(eventId), entry.json, Stored.errors(result.get("errors")));
            }
        }
        if (settled.isEmpty()) {
            // An answer about none of the batch (not the console's): try again later, not at once.
            retry(-1, new SendError("unexpected_answer", "The answer named none of the events sent", 200, 0));
            return;
        }
        queue.remove(settled);
        failures = 0;
        if (queue.size() > 0) {
            schedule(0);
        }
    }

    private void retry(long retryAfterSeconds, SendError error) {
        failures += 1;
        long backoff = Math.min(60000L, 1000L << Math.min(failures - 1, 6));
        long wait = retryAfterSeconds > 0
                ? retryAfterSeconds * 1000
                : (long) (backoff * (0.5 + Math.random() / 2));
        schedule(wait);
        report(new SendError(error.code, error.message, error.status, wait));
    }

    private void report(SendError error) {
        try {
            listener.onError(error);
        } catch (RuntimeException ignored) {
            // The app's listener failing must not stop the sending thread.
        }
    }

    private static String iso8601(Date when) {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(when);
    }

    /** The options of a client; see {@link CustomerProfiles#builder}. */
    public static final class Builder {
        private final String key;
        private final URL eventsUrl;
        private final String appId;
        private final File directory;
        private String source = "android";
        private Listener listener = new Listener() {
        };
        private int batchSize = 20;
        private long flushIntervalMillis = 5000;
        private int maxQueue = 5000;

        private Builder(String key, String endpoint, String appId, File directory) {
            if (key == null || !key.startsWith("cpp_")) {
                throw new IllegalArgumentException("A publishable key (cpp_…) from Admin → API keys");
            }
            if (appId == null || appId.trim().isEmpty() || directory == null) {
                throw new IllegalArgumentException("The app's id (as listed for the key) and a directory for the queue");
            }
            try {
                this.eventsUrl = new URL(endpoint.replaceAll("/+$", "") + "/api/v1/events");
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("The console's address, e.g. https://console.example", e);
            }
            this.key = key;
            this.appId = appId.trim();
            this.directory = directory;
        }

        /** Where the events say they came from (default {@code android}). */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** Who hears of refused events and failed sends. */
        public Builder listener(Listener listener) {
            this.listener = listener;
            return this;
        }

        /** Events a request carries (1 to 1,000; default 20). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Math.min(Math.max(batchSize, 1), MAX_BATCH);
            return this;
        }

        /** How long a lone event waits for others before it is sent (default 5 s). */
        public Builder flushIntervalMillis(long millis) {
            this.flushIntervalMillis = Math.max(0, millis);
            return this;
        }

        /** Events kept while the console cannot be reached; the oldest go first (default 5,000). */
        public Builder maxQueue(int maxQueue) {
            this.maxQueue = Math.max(1, maxQueue);
            return this;
        }

        /** The client; sends what an earlier run left queued. */
        public CustomerProfiles build() throws IOException {
            return new CustomerProfiles(this);
        }
    }

    /** Reading what is stored: the customer file, answers, errors. */
    private static final class Stored {
        private Stored() {
        }

        static Map<String, Object> customer(File file) {
            if (!file.isFile()) {
                return null;
            }
            try {
                Map<?, ?> who = object(EventQueue.read(file));
                Map<String, Object> customer = new LinkedHashMap<String, Object>();
                for (Map.Entry<?, ?> entry : who.entrySet()) {
                    customer.put(String.valueOf(entry.getKey()), entry.getValue());
                }
                return customer.size() == 1 ? customer : null;
            } catch (IOException e) {
                return null;
            }
        }

        /** {@code text} as a JSON object; empty when it is not one. */
        static Map<?, ?> object(String text) {
            try {
                Object value = Json.parse(text);
                return value instanceof Map ? (Map<?, ?>) value : Collections.emptyMap();
            } catch (IllegalArgumentException e) {
                return Collections.emptyMap();
            }
        }

        @SuppressWarnings("unchecked")
        static List<Map<String, Object>> errors(Object errors) {
            List<Map<String, Object>> list = new ArrayList<Map<String, Object>>();
            if (errors instanceof List) {
                for (Object error : (List<?>) errors) {
                    if (error instanceof Map) {
                        list.add((Map<String, Object>) error);
                    }
                }
            }
            return list;
        }
    }
}
