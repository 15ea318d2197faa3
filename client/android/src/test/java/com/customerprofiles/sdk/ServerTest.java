package com.customerprofiles.sdk;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The SDK against the real console the test command starts (its address, keys and a customer
 * come as system properties, see {@code server/tests/suite/mobile_sdks.rs}). Every event id a
 * test expects stored is appended to {@code cp.expected}; the Rust side then checks the
 * database holds each exactly once, and nothing else from this app.
 */
public class ServerTest {
    private static final String ENDPOINT = System.getProperty("cp.endpoint");
    private static final String KEY = System.getProperty("cp.key");
    private static final String LIMITED_KEY = System.getProperty("cp.limitedKey");
    private static final String APP = System.getProperty("cp.app");
    private static final String CUSTOMER = System.getProperty("cp.externalId");
    private static final Map<String, String> SESSION = Collections.singletonMap("platform", "android");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** What the SDK told the app. */
    static final class Heard implements Listener {
        final List<String> rejected = new CopyOnWriteArrayList<String>();
        final List<List<Map<String, Object>>> rejectedErrors = new CopyOnWriteArrayList<List<Map<String, Object>>>();
        final List<SendError> errors = new CopyOnWriteArrayList<SendError>();

        @Override
        public void onRejected(String eventId, String eventJson, List<Map<String, Object>> errors) {
            rejected.add(eventId);
            rejectedErrors.add(errors);
        }

        @Override
        public void onError(SendError error) {
            errors.add(error);
        }

        SendError last() {
            return errors.get(errors.size() - 1);
        }
    }

    private static CustomerProfiles client(String key, String endpoint, File dir, Listener heard) throws IOException {
        return CustomerProfiles.builder(key, endpoint, APP, dir)
                .listener(heard)
                .flushIntervalMillis(60000)
                .build();
    }

    private static void expectStored(List<String> ids) throws IOException {
        try (Writer out = new FileWriter(System.getProperty("cp.expected"), true)) {
            for (String id : ids) {
                out.write(id + "\n");
            }
        }
    }

    private static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    public void eventsTrackedOfflineGoWhenTheNetworkIsBack() throws Exception {
        Heard heard = new Heard();
        try (Proxy network = new Proxy(new URL(ENDPOINT).getPort());
             CustomerProfiles profiles = client(KEY, network.endpoint(), folder.getRoot(), heard)) {
            profiles.identify("external_id", CUSTOMER);
            List<String> ids = new ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                ids.add(profiles.track("app_session", SESSION));
            }
            profiles.flush().get();
            assertEquals("nothing leaves while offline", 3, profiles.pending());
            assertEquals("network", heard.last().code);
            assertTrue("a retry is planned", heard.last().retryInMillis > 0);

            network.start();
            profiles.flush().get();
            assertEquals(0, profiles.pending());
            assertTrue(heard.rejected.isEmpty());
            expectStored(ids);
        }
    }

    @Test
    public void anAppKilledMidBatchSendsEachEventOnceAfterARestart() throws Exception {
        File dir = folder.newFolder("killed");
        try (Proxy network = new Proxy(new URL(ENDPOINT).getPort())) {
            network.start();
            network.swallowAnswers();
            Process app = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                    KilledApp.class.getName(), dir.getPath(), network.endpoint(), KEY, APP, CUSTOMER, "40")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), "UTF-8"));
            String line = out.readLine();
            assertTrue("the app tracked its events: " + line, line != null && line.startsWith("tracked "));
            List<String> ids = Arrays.asList(line.substring("tracked ".length()).split(","));
            assertEquals(40, ids.size());
            // The console stored a batch; the app dies before hearing so.
            assertTrue("a batch reached the console", network.swallowed.await(20, TimeUnit.SECONDS));
            app.destroyForcibly().waitFor();
            expectStored(ids);
        }
        Heard heard = new Heard();
        try (CustomerProfiles restarted = client(KEY, ENDPOINT, dir, heard)) {
            assertEquals("every tracked event survived the kill", 40, restarted.pending());
            waitFor("the queue to empty", () -> restarted.pending() == 0);
            assertTrue(heard.errors.toString(), heard.errors.isEmpty());
        }
    }

    @Test
    public void anEventTheKeyMayNotSendGoesToOnRejectedAndIsNotSentAgain() throws Exception {
        Heard heard = new Heard();
        try (CustomerProfiles profiles = client(KEY, ENDPOINT, folder.getRoot(), heard)) {
            profiles.identify("external_id", CUSTOMER);
            String points = profiles.track("points_earned", Collections.singletonMap("points", 500));
            String session = profiles.track("app_session", SESSION);
            profiles.flush().get();
            assertEquals(Collections.singletonList(points), heard.rejected);
            assertFalse("the console says why", heard.rejectedErrors.get(0).isEmpty());
            assertEquals(0, profiles.pending());
            expectStored(Collections.singletonList(session));
        }
    }

    @Test
    public void overItsRateTheKeyWaitsAsRetryAfterSaysAndKeepsItsEvents() throws Exception {
        Heard heard = new Heard();
        try (CustomerProfiles profiles = client(LIMITED_KEY, ENDPOINT, folder.getRoot(), heard)) {
            profiles.identify("external_id", CUSTOMER);
            List<String> first = new ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                first.add(profiles.track("app_session", SESSION));
            }
            profiles.flush().get();
            assertEquals(0, profiles.pending());
            expectStored(first);

            profiles.track("app_session", SESSION);
            profiles.flush().get();
            SendError limited = heard.last();
            assertEquals("rate_limited", limited.code);
            assertEquals(429, limited.status);
            assertTrue("Retry-After is honoured: " + limited, limited.retryInMillis >= 1000);
            assertEquals("the event waits", 1, profiles.pending());
        }
    }

    @Test
    public void aRevokedKeyOrAnUnlistedAppStopsSendingAndKeepsTheEvents() throws Exception {
        Heard heard = new Heard();
        try (CustomerProfiles profiles = client("cpp_unknown000000000000000000000000", ENDPOINT, folder.newFolder(), heard)) {
            profiles.identify("external_id", CUSTOMER);
            profiles.track("app_session", SESSION);
            profiles.flush().get();
            assertEquals("invalid_api_key", heard.last().code);
            assertEquals(-1, heard.last().retryInMillis);
            int heardBefore = heard.errors.size();
            profiles.flush().get();
            assertEquals("stopped: nothing more is sent", heardBefore, heard.errors.size());
            assertEquals(1, profiles.pending());
        }
        Heard other = new Heard();
        try (CustomerProfiles profiles = CustomerProfiles.builder(KEY, ENDPOINT, "com.example.other", folder.newFolder())
                .listener(other).flushIntervalMillis(60000).build()) {
            profiles.identify("external_id", CUSTOMER);
            profiles.track("app_session", SESSION);
            profiles.flush().get();
            assertEquals("origin_not_allowed", other.last().code);
            assertEquals(403, other.last().status);
            assertEquals(1, profiles.pending());
        }
    }

    @Test
    public void theActiveGeofencesAreFetchedAndVisitsToThemSent() throws Exception {
        Heard heard = new Heard();
        try (CustomerProfiles profiles = client(KEY, ENDPOINT, folder.getRoot(), heard)) {
            List<Geofence> fences = profiles.geofences();
            assertFalse("the demo's geofences", fences.isEmpty());
            Geofence fence = fences.get(0);
            assertTrue(fence.radiusMeters >= 50 && Math.abs(fence.latitude) <= 90);
            assertTrue("cached", fences == profiles.geofences());
            profiles.identify("external_id", CUSTOMER);
            String entered = profiles.geofenceEntered(fence.id);
            String exited = profiles.geofenceExited(fence.id, 420);
            profiles.flush().get();
            assertEquals(0, profiles.pending());
            assertTrue(heard.rejected.toString(), heard.rejected.isEmpty());
            expectStored(Arrays.asList(entered, exited));
        }
        try (CustomerProfiles stranger = CustomerProfiles.builder(KEY, ENDPOINT, "com.example.other", folder.newFolder())
                .build()) {
            stranger.geofences();
            throw new AssertionError("an unlisted app gets no geofences");
        } catch (IOException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("403"));
        }
    }

    @Test
    public void anAnswerNamingNoneOfTheBatchIsRetriedLaterNotAtOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer stranger = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        stranger.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"results\": []}".getBytes("UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stranger.start();
        Heard heard = new Heard();
        String endpoint = "http://127.0.0.1:" + stranger.getAddress().getPort();
        try (CustomerProfiles profiles = client(KEY, endpoint, folder.getRoot(), heard)) {
            profiles.identify("external_id", CUSTOMER);
            profiles.track("app_session", SESSION);
            profiles.flush().get();
            Thread.sleep(300);
            assertEquals("no tight loop", 1, requests.get());
            assertEquals("unexpected_answer", heard.last().code);
            assertTrue(heard.last().retryInMillis > 0);
            assertEquals(1, profiles.pending());
        } finally {
            stranger.stop(0);
        }
    }

    @Test
    public void theCustomerIsRememberedAcrossRestarts() throws Exception {
        File dir = folder.newFolder();
        try (CustomerProfiles profiles = client(KEY, ENDPOINT, dir, new Heard())) {
            profiles.identify("email", "  ada@example.com ");
        }
        try (CustomerProfiles profiles = client(KEY, ENDPOINT, dir, new Heard())) {
            String text = new String(Files.readAllBytes(new File(dir, "customer.json").toPath()), "UTF-8");
            assertEquals("{\"email\":\"ada@example.com\"}", text);
            profiles.reset();
            try {
                profiles.track("app_session", SESSION);
                throw new AssertionError("track() without a customer must fail");
            } catch (IllegalStateException expected) {
                assertEquals(0, profiles.pending());
            }
        }
    }

    private static String javaCommand() {
        return new File(new File(System.getProperty("java.home"), "bin"), "java").getPath();
    }
}
