package io.gmgate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.gmgate.error.GmgateException;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.TradingChannel;

/**
 * One local listener of the agent (127.0.0.1 only): every accepted connection gets its own GM
 * channel from the {@link Upstream}, and bytes are copied both ways through one bounded buffer per
 * direction; a blocked write holds the reader, which is the back-pressure. Connections are capped
 * by a semaphore shared with the other listener, and each takes at most two threads of the
 * agent's bounded pool. A failure is logged and kept per hop with its code (design §8).
 */
final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalAgent.class);

    /** How long the terminal's half-closed connection still waits for the gateway's last bytes. */
    static final Duration HALF_CLOSE_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final boolean trading;
    private final ServerSocket server;
    private final Upstream upstream;
    private final Parts parts;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile boolean running = true;
    private Thread acceptor;

    /** What both listeners share. */
    record Parts(ExecutorService pool, ScheduledExecutorService timers, Semaphore slots, AtomicLong ids, AgentStatus status,
                 int bufferBytes, Clock clock) {
    }

    private Relay(String name, boolean trading, ServerSocket server, Upstream upstream, Parts parts) {
        this.name = name;
        this.trading = trading;
        this.server = server;
        this.upstream = upstream;
        this.parts = parts;
    }

    /** Binds 127.0.0.1:{@code port} (0 = any free port); NET-410 if it is taken. */
    static Relay open(String name, boolean trading, int port, Upstream upstream, Parts parts) {
        try {
            ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            return new Relay(name, trading, s, upstream, parts);
        } catch (IOException e) {
            throw new AgentException(AgentErrors.LOCAL_PORT_BUSY, "[agent " + name + "] cannot listen on 127.0.0.1:" + port
                    + ": " + e.getMessage(), e);
        }
    }

    void start() {
        acceptor = new Thread(this::acceptLoop, "gmgate-agent-accept-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            Socket local;
            try {
                local = server.accept();
            } catch (IOException e) {
                if (running) {
                    fail(Hop.LOCAL, null, new AgentException(AgentErrors.LOCAL_PORT_BUSY, "[agent " + name
                            + "] accepting on 127.0.0.1:" + port() + " failed: " + e.getMessage(), e));
                }
                return;
            }
            Link link = new Link(parts.ids().incrementAndGet(), name, local, parts.clock().instant());
            total.incrementAndGet();
            if (!parts.slots().tryAcquire()) {
                refuse(link);
                continue;
            }
            links.put(link.id, link);
            try {
                parts.pool().execute(() -> serve(link));
            } catch (RejectedExecutionException e) {
                links.remove(link.id);
                parts.slots().release();
                refuse(link);
            }
        }
    }

    private void refuse(Link link) {
        refused.incrementAndGet();
        fail(Hop.LOCAL, link, new AgentException(AgentErrors.LOCAL_CAP, "[agent " + name + "] refused " + link + ": "
                + parts.slots().availablePermits() + " free of the connection cap"));
        link.close();
    }

    private void serve(Link link) {
        try {
            TradingChannel channel;
            try {
                channel = upstream.open();
                channel.socket().setSoTimeout(0); // a trading session may be idle for hours; the gateway bounds idleness
            } catch (GmgateException e) {
                fail(Hop.of(e.errorCode()), link, e);
                return;
            } catch (IOException | RuntimeException e) {
                fail(Hop.GATEWAY, link, new AgentException(SdkErrors.UNREACHABLE, "opening the channel: " + e, e));
                return;
            }
            link.attach(channel);
            LOG.info("[agent {}] {} → {}", name, link, channel);
            try {
                parts.pool().execute(() -> upstream(link, channel));
            } catch (RejectedExecutionException e) {
                fail(Hop.LOCAL, link, new AgentException(AgentErrors.LOCAL_CAP, "[agent " + name + "] no thread for " + link));
                return;
            }
            downstream(link, channel);
        } finally {
            link.close();
            links.remove(link.id);
            parts.slots().release();
            LOG.debug("[agent {}] {} closed: {} bytes up, {} down", name, link, link.up.get(), link.down.get());
        }
    }

    /** Terminal → gateway. The terminal's end of input is passed on after a grace for the last answer. */
    private void upstream(Link link, TradingChannel channel) {
        byte[] buf = new byte[parts.bufferBytes()];
        try {
            InputStream in = link.local.getInputStream();
            OutputStream out = channel.output();
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                try {
                    out.write(buf, 0, n);
                } catch (java.net.SocketException closedByGateway) {
                    // the gateway ended the channel before these bytes: what the other direction reports as
                    // unanswered, seen here first when the terminal writes before that direction reads the end
                    if (unanswered(link)) {
                        noAnswer(link, "the gateway closed the channel after " + link.up.get() + " bytes up and none down");
                    } else {
                        broke(link, closedByGateway);
                    }
                    link.close();
                    return;
                } catch (IOException | GmgateException e) {
                    broke(link, e);
                    link.close();
                    return;
                }
                link.up.addAndGet(n);
                bytesUp.addAndGet(n);
            }
            // TLCP has no half-close: a terminal that shut its output still gets the answer within the grace
            link.localEnded.set(true);
            parts.timers().schedule(link::close, HALF_CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            link.localEnded.set(true); // the terminal went away
            link.close();
        }
    }

    /** Gateway → terminal, on the serving thread. */
    private void downstream(Link link, TradingChannel channel) {
        byte[] buf = new byte[parts.bufferBytes()];
        try {
            InputStream in = channel.input();
            OutputStream out = link.local.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    link.localEnded.set(true);
                    return; // the terminal went away: not the gateway's failure
                }
                link.down.addAndGet(n);
                bytesDown.addAndGet(n);
            }
            if (unanswered(link)) {
                noAnswer(link, "the gateway closed the channel after " + link.up.get() + " bytes up and none down");
            }
        } catch (java.net.SocketException reset) {
            // A gateway that closes a channel before reading what the terminal sent resets it instead of
            // ending it (unread bytes in its receive buffer): the same unanswered close, seen a moment later.
            if (unanswered(link)) {
                noAnswer(link, "the gateway reset the channel after " + link.up.get() + " bytes up and none down");
            } else {
                broke(link, reset);
            }
        } catch (IOException | GmgateException e) {
            broke(link, e);
        }
    }

    private boolean unanswered(Link link) {
        return trading && link.down.get() == 0 && !link.localEnded.get() && !link.closed();
    }

    private void noAnswer(Link link, String what) {
        if (link.claimFailure()) {
            fail(Hop.FRONT, link, new AgentException(AgentErrors.NO_ANSWER, "[agent " + name + "] " + link + ": " + what));
        }
    }

    private void broke(Link link, Exception e) {
        if (link.closed() || link.localEnded.get() || !running || !link.claimFailure()) {
            return; // we closed it, the terminal did, or the other direction reported it
        }
        GmgateException coded = e instanceof GmgateException g ? g
                : new AgentException(AgentErrors.CHANNEL_BROKE, "[agent " + name + "] " + link + ": " + e.getMessage(), e);
        fail(Hop.of(coded.errorCode()), link, coded);
    }

    private void fail(Hop hop, Link link, GmgateException e) {
        failed.incrementAndGet();
        parts.status().failed(hop, name, e);
        LOG.warn("[agent {}] {}{} failed at hop '{}': {} — action: {}", name, link == null ? "" : link + ": ", hop == Hop.LOCAL
                ? "local accept" : "the channel", hop.key(), e.getMessage(), e.errorCode().action());
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", port());
        m.put("open", links.size());
        m.put("total", total.get());
        m.put("refused", refused.get());
        m.put("failed", failed.get());
        m.put("bytesUp", bytesUp.get());
        m.put("bytesDown", bytesDown.get());
        return m;
    }

    List<Map<String, Object>> sessions() {
        List<Map<String, Object>> out = new ArrayList<>();
        links.values().stream().sorted((a, b) -> Long.compare(a.id, b.id)).forEach(l -> out.add(l.asMap()));
        return out;
    }

    /** Stops accepting and ends every open connection. */
    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        links.values().forEach(Link::close);
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
