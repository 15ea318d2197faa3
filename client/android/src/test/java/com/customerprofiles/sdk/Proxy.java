package com.customerprofiles.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder to the console on a port of its own, for the network the tests need: nothing
 * listening (offline) until {@link #start}, and optionally the console's answers swallowed (the
 * console has stored a batch, the app never hears of it).
 */
final class Proxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final AtomicBoolean swallowAnswers = new AtomicBoolean();
    /** Counted down each time an answer is swallowed. */
    final CountDownLatch swallowed = new CountDownLatch(1);
    private ServerSocket listener;

    /** A forwarder to {@code targetPort} on loopback, on a free port it does not listen on yet. */
    Proxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    /** The address to give the SDK. */
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** From now on the console's answers never reach the app. */
    void swallowAnswers() {
        swallowAnswers.set(true);
    }

    /** Starts listening (the network comes back). */
    void start() throws IOException {
        listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    forward(listener.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    private void forward(Socket app) throws IOException {
        Socket console = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pipe(app, console, false);
        pipe(console, app, true);
    }

    private void pipe(Socket from, Socket to, boolean answers) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    if (answers && swallowAnswers.get()) {
                        swallowed.countDown();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // Either side went away.
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }
}
