package io.gmgate.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Decides whether a new connection or handshake may proceed, under {@link AdmissionPolicy}.
 * Mechanism only: the caller supplies the clock and reports when a connection ends. Thread-safe;
 * the per-source table is bounded (least recently seen sources are forgotten first), so a spoofed
 * address flood cannot grow it without limit.
 */
public final class AdmissionControl {

    private final AdmissionPolicy policy;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Buckets> sources;

    public AdmissionControl(AdmissionPolicy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.sources = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Buckets> eldest) {
                return size() > policy.trackedSources();
            }
        };
    }

    /**
     * Admits a new connection from {@code source}, or says why not. On admission the caller must
     * call {@link #release()} exactly once when the connection ends.
     */
    public Verdict admitConnection(String source) {
        synchronized (sources) {
            if (!buckets(source).connections.take(nanoTime.getAsLong())) {
                return Verdict.RATE_LIMITED;
            }
        }
        int now = open.incrementAndGet();
        if (now > policy.maxConnections()) {
            open.decrementAndGet();
            return Verdict.AT_CAPACITY;
        }
        return Verdict.ADMITTED;
    }

    /** Admits a full handshake from {@code source} (resumptions are cheap and not counted). */
    public Verdict admitHandshake(String source) {
        synchronized (sources) {
            return buckets(source).handshakes.take(nanoTime.getAsLong()) ? Verdict.ADMITTED : Verdict.RATE_LIMITED;
        }
    }

    public void release() {
        open.decrementAndGet();
    }

    public AdmissionPolicy policy() {
        return policy;
    }

    public int openConnections() {
        return open.get();
    }

    private Buckets buckets(String source) {
        return sources.computeIfAbsent(source, s -> new Buckets(policy, nanoTime.getAsLong()));
    }

    public enum Verdict {
        ADMITTED, RATE_LIMITED, AT_CAPACITY;

        public boolean admitted() {
            return this == ADMITTED;
        }
    }

    private static final class Buckets {
        final TokenBucket connections;
        final TokenBucket handshakes;

        Buckets(AdmissionPolicy p, long now) {
            connections = new TokenBucket(p.connectionsPerSecondPerSource(), p.connectionBurstPerSource(), now);
            handshakes = new TokenBucket(p.handshakesPerSecondPerSource(), p.handshakeBurstPerSource(), now);
        }
    }

    /** Classic token bucket: refills continuously at {@code rate}/s up to {@code burst}. Not thread-safe. */
    static final class TokenBucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last;

        TokenBucket(double ratePerSecond, int burst, long now) {
            this.perNano = ratePerSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        boolean take(long now) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perNano);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
