package io.gmgate.agent;

import java.io.IOException;
import java.net.Socket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.gmgate.sdk.TradingChannel;

/** One local connection and, once open, its GM channel to the gateway; what {@code /status} lists per session. */
final class Link {

    final long id;
    final String listener;
    final Socket local;
    final Instant since;
    final AtomicLong up = new AtomicLong();
    final AtomicLong down = new AtomicLong();
    /** Set when the terminal ended its side first, so the gateway's close that follows is not a failure. */
    final AtomicBoolean localEnded = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private volatile TradingChannel remote;

    Link(long id, String listener, Socket local, Instant since) {
        this.id = id;
        this.listener = listener;
        this.local = local;
        this.since = since;
    }

    void attach(TradingChannel channel) {
        this.remote = channel;
        if (closed.get()) {
            closeQuietly(channel); // the agent closed while the channel was being opened
        }
    }

    boolean closed() {
        return closed.get();
    }

    /** True for the first caller only: both directions may see one failure, and it is counted once. */
    boolean claimFailure() {
        return failureReported.compareAndSet(false, true);
    }

    String localAddress() {
        return local.getRemoteSocketAddress() == null ? "?" : local.getRemoteSocketAddress().toString().replaceFirst("^/", "");
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("listener", listener);
        m.put("local", localAddress());
        TradingChannel r = remote;
        if (r != null) {
            m.put("gateway", r.remote().replaceFirst("^[^/]*/", ""));
            m.put("path", r.path().name());
            r.tlcp().ifPresent(t -> {
                m.put("suite", String.valueOf(t.engine().suite()));
                m.put("resumed", t.engine().resumed());
            });
        }
        m.put("since", since.toString());
        m.put("bytesUp", up.get());
        m.put("bytesDown", down.get());
        return m;
    }

    /** Closes both sides once; ending either direction ends the other. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            local.close();
        } catch (IOException ignored) {
            // already gone
        }
        TradingChannel r = remote;
        if (r != null) {
            closeQuietly(r);
        }
    }

    private static void closeQuietly(TradingChannel s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // close_notify could not be sent: the gateway sees the TCP close instead
        }
    }

    @Override
    public String toString() {
        return listener + " #" + id + " from " + localAddress();
    }
}
