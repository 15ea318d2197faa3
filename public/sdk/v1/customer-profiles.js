/*! Customer Profiles web SDK v1: identify a customer and track events from web pages.
 *
 *   <script src="https://console.example/sdk/v1/customer-profiles.js"></script>
 *   <script>
 *     const profiles = CustomerProfiles.init({ key: "cpp_…" });
 *     profiles.identify({ email: "ada@example.com" });
 *     profiles.track("app_session", { platform: "web" });
 *   </script>
 *
 * or `import { init } from "https://console.example/sdk/v1/customer-profiles.mjs"`.
 * Events get an `event_id` here, so a retry never stores one twice; they wait in localStorage
 * until the console has answered for them (offline, a closed tab, a server error), are sent in
 * batches, retried with backoff, and sent with `navigator.sendBeacon` when the page goes away.
 * Events the console refuses are handed to `onRejected` and not sent again.
 */
(function (root) {
  "use strict";

  var IDENTIFIERS = ["id", "external_id", "email", "phone", "card_number"];
  var MAX_BATCH = 1000;
  var BEACON_BYTES = 60000;
  var script = root.document && root.document.currentScript;
  var scriptOrigin = script && script.src ? new URL(script.src).origin : "";

  function storageGet(name, fallback) {
    try {
      var text = root.localStorage.getItem(name);
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function storageSet(name, value) {
    try {
      if (value === null) root.localStorage.removeItem(name);
      else root.localStorage.setItem(name, JSON.stringify(value));
    } catch (e) {
      /* Private mode or full storage: events still go out from memory. */
    }
  }

  function newId() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    return "e-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function checkedIdentifier(identifier) {
    var given = IDENTIFIERS.filter(function (kind) {
      return identifier && typeof identifier[kind] === "string" && identifier[kind].trim() !== "";
    });
    if (given.length !== 1) {
      throw new TypeError("identify() takes one of " + IDENTIFIERS.join(", ") + ", e.g. { email: \"ada@example.com\" }");
    }
    var customer = {};
    customer[given[0]] = identifier[given[0]].trim();
    return customer;
  }

  /** A client for one publishable key; see the header of this file. */
  function Client(options) {
    if (!options || typeof options.key !== "string" || options.key.indexOf("cpp_") !== 0) {
      throw new TypeError("init() needs { key: \"cpp_…\" }: a publishable key from Admin → API keys");
    }
    this.key = options.key;
    this.endpoint = (options.endpoint || scriptOrigin).replace(/\/$/, "");
    this.batchSize = Math.min(Math.max(options.batchSize || 20, 1), MAX_BATCH);
    this.flushInterval = options.flushInterval === undefined ? 5000 : options.flushInterval;
    this.maxQueue = options.maxQueue || 5000;
    this.source = options.source || "web";
    this.onRejected = options.onRejected || function () {};
    this.onError = options.onError || function () {};
    this.storageKey = "customer-profiles:" + this.key.slice(0, 16);
    this.customer = storageGet(this.storageKey + ":customer", null);
    this.failures = 0;
    this.timer = null;
    this.sending = null;
    this.stopped = false;
    var self = this;
    if (root.addEventListener) {
      root.addEventListener("online", function () { self.flush(); });
      root.addEventListener("pagehide", function () { self.beacon(); });
      root.document.addEventListener("visibilitychange", function () {
        if (root.document.visibilityState === "hidden") self.beacon();
      });
    }
    if (this.queue().length) this.schedule(0);
  }

  Client.prototype.queue = function () {
    return storageGet(this.storageKey + ":queue", []);
  };

  Client.prototype.save = function (queue) {
    storageSet(this.storageKey + ":queue", queue.length ? queue : null);
  };

  /** Says who the visitor is: one of id, external_id, email, phone, card_number. */
  Client.prototype.identify = function (identifier) {
    this.customer = checkedIdentifier(identifier);
    storageSet(this.storageKey + ":customer", this.customer);
    return this;
  };

  /** Forgets the visitor (signing out); queued events keep the customer they were for. */
  Client.prototype.reset = function () {
    this.customer = null;
    storageSet(this.storageKey + ":customer", null);
    return this;
  };

  /** Queues an event of `type` with `payload`; returns its event_id. */
  Client.prototype.track = function (type, payload, options) {
    if (typeof type !== "string" || type === "") throw new TypeError("track() needs an event type");
    if (!this.customer) throw new Error("identify() a customer before track()");
    var event = {
      event_id: (options && options.eventId) || newId(),
      type: type,
      occurred_at: ((options && options.occurredAt) || new Date()).toISOString(),
      customer: this.customer,
      source: this.source,
      payload: payload || {}
    };
    var queue = this.queue();
    queue.push(event);
    if (queue.length > this.maxQueue) {
      var dropped = queue.splice(0, queue.length - this.maxQueue);
      this.onError(new Error(dropped.length + " oldest events dropped: more than " + this.maxQueue + " waiting"));
    }
    this.save(queue);
    this.schedule(queue.length >= this.batchSize ? 0 : this.flushInterval);
    return event.event_id;
  };

  Client.prototype.schedule = function (delay) {
    var self = this;
    if (this.timer !== null) {
      if (delay > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(function () {
      self.timer = null;
      self.flush();
    }, delay);
  };

  /** Sends what is waiting now; resolves when the console has answered (or the try failed). */
  Client.prototype.flush = function () {
    var self = this;
    if (this.sending) return this.sending;
    if (this.stopped || (root.navigator && root.navigator.onLine === false)) return Promise.resolve();
    var batch = this.queue().slice(0, this.batchSize);
    if (!batch.length) return Promise.resolve();
    var body = JSON.stringify({ events: batch });
    this.sending = root.fetch(this.endpoint + "/api/v1/events", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      keepalive: body.length < BEACON_BYTES,
      headers: { "Content-Type": "application/json", "X-Api-Key": this.key },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        self.answered(batch, response, answer);
      });
    }, function (error) {
      self.retry(null, error);
    }).then(function () {
      self.sending = null;
    });
    return this.sending;
  };

  Client.prototype.answered = function (batch, response, answer) {
    if (answer && answer.results) {
      var settled = {};
      answer.results.forEach(function (result) {
        var event = batch[result.index];
        if (!event) return;
        settled[event.event_id] = true;
        if (result.status === "rejected") this.onRejected(event, result.errors);
      }, this);
      if (!Object.keys(settled).length) {
        // An answer about none of the batch (not the console's): try again later, not at once.
        this.retry(null, { code: "unexpected_answer", message: "The answer named none of the events sent" });
        return;
      }
      this.save(this.queue().filter(function (event) { return !settled[event.event_id]; }));
      this.failures = 0;
      if (this.queue().length) this.schedule(0);
      return;
    }
    var error = (answer && answer.error) || { code: "http_" + response.status, message: response.statusText };
    if (response.status === 429 || response.status >= 500) {
      var wait = Number(response.headers.get("Retry-After"));
      this.retry(wait > 0 ? wait * 1000 : null, error);
    } else if (response.status === 413 && batch.length > 1) {
      // More events than the key may send in a minute: send smaller batches.
      this.batchSize = Math.max(1, Math.floor(batch.length / 2));
      this.schedule(0);
    } else if (response.status === 401 || response.status === 403) {
      // A revoked key or a site not listed for it: nothing will go through until an admin
      // acts, so stop; the events stay queued for the next page load.
      this.stopped = true;
      this.onError(error);
    } else {
      // The batch itself is malformed (it cannot be fixed by resending): drop it.
      var ids = batch.map(function (event) { return event.event_id; });
      this.save(this.queue().filter(function (event) { return ids.indexOf(event.event_id) < 0; }));
      this.onError(error);
    }
  };

  Client.prototype.retry = function (wait, error) {
    this.failures += 1;
    var backoff = Math.min(60000, 1000 * Math.pow(2, this.failures - 1));
    this.schedule(wait || backoff * (0.5 + Math.random() / 2));
    this.onError(error);
  };

  /** The page is going away: hands everything waiting to the browser to send. */
  Client.prototype.beacon = function () {
    var queue = this.queue();
    if (!queue.length || this.stopped || !root.navigator || !root.navigator.sendBeacon) return;
    var url = this.endpoint + "/api/v1/events?key=" + encodeURIComponent(this.key);
    for (var start = 0; start < queue.length;) {
      var count = Math.min(queue.length - start, MAX_BATCH);
      var body = JSON.stringify({ events: queue.slice(start, start + count) });
      while (body.length > BEACON_BYTES && count > 1) {
        count = Math.ceil(count / 2);
        body = JSON.stringify({ events: queue.slice(start, start + count) });
      }
      // Still queued afterwards: the next page load sends them again, and the console keeps
      // each event_id once.
      root.navigator.sendBeacon(url, new Blob([body], { type: "text/plain;charset=UTF-8" }));
      start += count;
    }
  };

  root.CustomerProfiles = {
    version: "1.0.0",
    /** A client for a publishable key: { key, endpoint?, batchSize?, flushInterval?, onRejected?, onError? }. */
    init: function (options) {
      return new Client(options);
    }
  };
})(globalThis);
