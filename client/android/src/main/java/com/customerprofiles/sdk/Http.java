package com.customerprofiles.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** One POST of a JSON body to the console, and its answer. */
final class Http {
    private static final int CONNECT_TIMEOUT_MILLIS = 10000;
    private static final int READ_TIMEOUT_MILLIS = 30000;
    /** Bytes of an answer read at most: the console's answers to a batch are far smaller. */
    private static final int MAX_ANSWER_BYTES = 4 << 20;

    /** Status, body and {@code Retry-After} (seconds, or -1) of an answer. */
    static final class Answer {
        final int status;
        final String body;
        final long retryAfterSeconds;

        Answer(int status, String body, long retryAfterSeconds) {
            this.status = status;
            this.body = body;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private Http() {
    }

    /** Posts {@code json} to {@code url} with the key and the app's id. */
    static Answer post(URL url, String key, String appId, String json) throws IOException {
        return send(url, key, appId, json);
    }

    /** Gets {@code url} with the key and the app's id. */
    static Answer get(URL url, String key, String appId) throws IOException {
        return send(url, key, appId, null);
    }

    private static Answer send(URL url, String key, String appId, String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        try {
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setRequestProperty("X-Api-Key", key);
            connection.setRequestProperty("X-Client-App", appId);
            connection.setRequestProperty("User-Agent", "customer-profiles-android/" + CustomerProfiles.VERSION);
            if (json != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
                // Not in streaming mode: the JDK's connection then hides a 401's body (the error code).
                OutputStream out = connection.getOutputStream();
                try {
                    out.write(json.getBytes(EventQueue.UTF8));
                } finally {
                    out.close();
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Answer(status, in == null ? "" : read(in), retryAfter(connection));
        } finally {
            connection.disconnect();
        }
    }

    private static long retryAfter(HttpURLConnection connection) {
        String header = connection.getHeaderField("Retry-After");
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0;) {
                if (bytes.size() + n > MAX_ANSWER_BYTES) {
                    throw new IOException("The answer is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
                bytes.write(buffer, 0, n);
            }
            return new String(bytes.toByteArray(), EventQueue.UTF8);
        } finally {
            in.close();
        }
    }
}
