package io.gmgate.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local terminal proxy for terminals that cannot change, like the clearing house's (docs/terminal.md
 * chapters 4 and 7), on 127.0.0.1 only:
 * <ul>
 * <li>the trading port (9000): every local connection gets a two-way GM channel to the gateway's
 *     :9000, its CertificateVerify co-signed through the SDK, and bytes are copied both ways;</li>
 * <li>the enrolment port (8090): plain HTTP from legacy enrolment tools is relayed to the gateway's
 *     :8090 over one-way TLCP (docs/terminal.md: {@code http://127.0.0.1:8090} answers 404 when the proxy works);</li>
 * <li>{@code GET /status} on the status port: listeners, open sessions, bytes, and the last failure
 *     per hop (local accept, gateway connect, handshake, cosign, front), each with its code and action.</li>
 * </ul>
 * Threads come from one bounded pool (two per connection, connections capped), and {@link #close()}
 * stops accepting, ends every connection and waits a bounded time for the threads.
 */
public final class TerminalAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalAgent.class);

    public static final String TRADING = "trading";
    public static final String ENROLMENT = "enrolment";

    private final Clock clock;
    private final Instant started;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timers;
    private final AgentStatus status;
    private final Map<String, Relay> relays = new LinkedHashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private HttpServer http;
    private volatile boolean closed;

    private TerminalAgent(AgentSettings settings, Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
        this.status = new AgentStatus(clock);
        this.pool = new ThreadPoolExecutor(0, 2 * settings.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemons("gmgate-agent-relay"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemons("gmgate-agent-timer"));
    }

    /**
     * Starts the listeners. The upstreams are closed with the agent when they are {@link AutoCloseable}
     * (a {@link LoginUpstream} then confirms its last co-signature and zeroes its secrets).
     */
    public static TerminalAgent start(AgentSettings settings, Upstream trading, Upstream enrolment, Clock clock) {
        TerminalAgent a = new TerminalAgent(settings, clock);
        try {
            Relay.Parts parts = new Relay.Parts(a.pool, a.timers, new Semaphore(settings.maxConnections()), new AtomicLong(),
                    a.status, settings.bufferBytes(), clock);
            a.own(trading);
            a.own(enrolment);
            a.relays.put(TRADING, Relay.open(TRADING, true, settings.tradingPort(), trading, parts));
            a.relays.put(ENROLMENT, Relay.open(ENROLMENT, false, settings.enrolmentPort(), enrolment, parts));
            a.http = a.statusServer(settings.statusPort());
            a.relays.values().forEach(Relay::start);
            LOG.info("[agent] up on 127.0.0.1: trading :{}, enrolment :{}, status http://127.0.0.1:{}/status",
                    a.port(TRADING), a.port(ENROLMENT), a.statusPort());
            return a;
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void own(Upstream u) {
        if (u instanceof AutoCloseable c && !owned.contains(c)) {
            owned.add(c);
        }
    }

    private HttpServer statusServer(int port) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        } catch (IOException e) {
            throw new AgentException(AgentErrors.LOCAL_PORT_BUSY, "[agent status] cannot listen on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
        s.setExecutor(Executors.newSingleThreadExecutor(daemons("gmgate-agent-status")));
        s.createContext("/", ex -> {
            try (ex) {
                if (!ex.getRequestURI().getPath().equals("/status") || !"GET".equals(ex.getRequestMethod())) {
                    send(ex, 404, "{\"error\":\"only GET /status\"}");
                } else {
                    send(ex, 200, JSON.std.asString(statusMap()));
                }
            }
        });
        s.start();
        return s;
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    public int port(String listener) {
        Relay r = relays.get(listener);
        if (r == null) {
            throw new IllegalArgumentException("no listener " + listener);
        }
        return r.port();
    }

    public int tradingPort() {
        return port(TRADING);
    }

    public int enrolmentPort() {
        return port(ENROLMENT);
    }

    public int statusPort() {
        return http.getAddress().getPort();
    }

    /** What {@code /status} answers: uptime, listeners, open sessions, last failure per hop. */
    public Map<String, Object> statusMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startedAt", started.toString());
        m.put("now", clock.instant().toString());
        Map<String, Object> listeners = new LinkedHashMap<>();
        List<Map<String, Object>> sessions = new ArrayList<>();
        relays.forEach((name, r) -> {
            listeners.put(name, r.asMap());
            sessions.addAll(r.sessions());
        });
        m.put("listeners", listeners);
        m.put("sessions", sessions);
        m.put("lastError", status.asMap());
        return m;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relays.values().forEach(Relay::close);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("[agent] closing {}: {}", c, e.toString());
            }
        }
        LOG.info("[agent] stopped");
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
