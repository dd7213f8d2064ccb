package io.gmgate.app.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The terminal proxy for terminals that cannot change (like the clearing house's, seed 000): it
 * listens on 127.0.0.1 only and opens, for every local connection, a two-way GM channel to the
 * gateway through the SDK (co-signed), then copies bytes both ways. Failures are logged by hop —
 * local accept, gateway connect (NET-), handshake (TLS-/CERT-), co-signing (COSIGN-) — and
 * {@code /status} on a local HTTP port shows sessions, bytes and the last error per hop.
 */
public final class TerminalAgent implements AutoCloseable {

    /** Where the agent listens: loopback only, by design. */
    public record Ports(int trading, int status) {
    }

    private final GmgateClient.Session session;
    private final ServerSocket trading;
    private final HttpServer status;
    private final ExecutorService threads;
    private final int maxConnections;
    private final Map<String, String> lastError = new ConcurrentHashMap<>();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile boolean running = true;

    public TerminalAgent(GmgateClient.Session session, Ports ports, int maxConnections) throws IOException {
        this.session = session;
        this.maxConnections = maxConnections;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.trading = new ServerSocket(ports.trading(), 50, loopback);
        this.status = HttpServer.create(new InetSocketAddress(loopback, ports.status()), 10);
        this.threads = Executors.newFixedThreadPool(2 * maxConnections + 1, r -> {
            Thread t = new Thread(r, "gmgate-agent");
            t.setDaemon(true);
            return t;
        });
        status.createContext("/status", ex -> {
            byte[] body = statusJson().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        status.start();
        threads.submit(this::acceptLoop);
    }

    public int tradingPort() {
        return trading.getLocalPort();
    }

    public int statusPort() {
        return status.getAddress().getPort();
    }

    private void acceptLoop() {
        while (running) {
            Socket local;
            try {
                local = trading.accept();
            } catch (IOException e) {
                if (running) {
                    lastError.put("local", "accept failed: " + e.getMessage());
                }
                return;
            }
            if (open.get() >= maxConnections) {
                lastError.put("local", "refused a local connection: " + maxConnections + " already open");
                close(local);
                continue;
            }
            open.incrementAndGet();
            total.incrementAndGet();
            threads.submit(() -> serve(local));
        }
    }

    private void serve(Socket local) {
        TlcpSocket remote;
        try {
            remote = session.connect();
        } catch (GmgateException e) {
            String code = e.errorCode().code();
            String hop = code.startsWith("NET-") ? "gateway" : code.startsWith("COSIGN-") ? "cosign"
                    : code.startsWith("FRONT-") ? "front" : "handshake";
            lastError.put(hop, Instant.now() + " " + e.getMessage() + " — " + e.errorCode().action());
            close(local);
            open.decrementAndGet();
            return;
        }
        var up = threads.submit(() -> pump("local→gateway", local, remote, true));
        try {
            pump("gateway→local", local, remote, false);
        } finally {
            up.cancel(true);
            close(local);
            try {
                remote.close();
            } catch (IOException ignored) {
                // already gone
            }
            open.decrementAndGet();
        }
    }

    /** Copies one direction until either side ends; ending closes the other side too. */
    private void pump(String direction, Socket local, TlcpSocket remote, boolean upstream) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = upstream ? local.getInputStream() : remote.getInputStream();
            OutputStream out = upstream ? remote.getOutputStream() : local.getOutputStream();
            AtomicLong counter = upstream ? bytesUp : bytesDown;
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
                counter.addAndGet(n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof GmgateException g) {
                lastError.put("gateway", Instant.now() + " " + direction + ": " + g.getMessage());
            }
        } finally {
            close(local);
            try {
                remote.close();
            } catch (IOException ignored) {
                // ends the other direction
            }
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    String statusJson() {
        StringBuilder errors = new StringBuilder();
        lastError.forEach((hop, e) -> errors.append(errors.length() == 0 ? "" : ",").append('"').append(hop).append("\":\"")
                .append(e.replace("\\", "\\\\").replace("\"", "'")).append('"'));
        return "{\"open\":" + open.get() + ",\"total\":" + total.get() + ",\"bytesUp\":" + bytesUp.get()
                + ",\"bytesDown\":" + bytesDown.get() + ",\"lastError\":{" + errors + "}}";
    }

    @Override
    public void close() {
        running = false;
        close(trading);
        status.stop(0);
        threads.shutdownNow();
        session.close();
    }

    private static void close(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
