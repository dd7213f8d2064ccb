package io.gmgate.gateway;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.gmgate.limits.TokenBuckets;

/**
 * Decides whether a new connection or handshake may proceed, under {@link AdmissionPolicy}.
 * Mechanism only: the caller supplies the clock and reports when a connection ends. Thread-safe;
 * the per-source buckets are {@link TokenBuckets} (the cosign limits' too), bounded by
 * {@link AdmissionPolicy#trackedSources()}, so a spoofed address flood cannot grow them without limit.
 */
public final class AdmissionControl {

    private final AdmissionPolicy policy;
    private final AtomicInteger open = new AtomicInteger();
    private final TokenBuckets connections;
    private final TokenBuckets handshakes;

    public AdmissionControl(AdmissionPolicy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.connections = new TokenBuckets("connections per source", policy.connectionsPerSecondPerSource(),
                policy.connectionBurstPerSource(), policy.trackedSources(), nanoTime);
        this.handshakes = new TokenBuckets("handshakes per source", policy.handshakesPerSecondPerSource(),
                policy.handshakeBurstPerSource(), policy.trackedSources(), nanoTime);
    }

    /**
     * Admits a new connection from {@code source}, or says why not. On admission the caller must
     * call {@link #release()} exactly once when the connection ends.
     */
    public Verdict admitConnection(String source) {
        if (!connections.tryTake(source)) {
            return Verdict.RATE_LIMITED;
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
        return handshakes.tryTake(source) ? Verdict.ADMITTED : Verdict.RATE_LIMITED;
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

    /** Sources with a connection bucket now (at most {@link AdmissionPolicy#trackedSources()}). */
    long trackedSources() {
        return connections.keys();
    }

    public enum Verdict {
        ADMITTED, RATE_LIMITED, AT_CAPACITY;

        public boolean admitted() {
            return this == ADMITTED;
        }
    }
}
