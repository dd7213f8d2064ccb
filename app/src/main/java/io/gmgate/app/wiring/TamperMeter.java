package io.gmgate.app.wiring;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.gmgate.keystore.PgShardStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Sealed key rows that did not match (docs/security.md, "Key rows and locks", KEY-130/KEY-131) as metrics: this node's own
 * refusals, and every node's as the audit log records them (cosign nodes have no metrics endpoint of
 * their own, and the audit is shared), sampled on a worker so a scrape never waits on the database.
 */
final class TamperMeter implements AutoCloseable {

    static final String REFUSED_HERE = "gmgate.keystore.tampering";
    static final String AUDITED = "gmgate.keystore.tampering.audited";
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final long timer;

    TamperMeter(Vertx vertx, MeterRegistry metrics, PgShardStore store) {
        this.vertx = vertx;
        FunctionCounter.builder(REFUSED_HERE, store, PgShardStore::tamperings)
                .description("key rows, PIN counters or tombstones this node refused because they did not match their card seal")
                .register(metrics);
        AtomicLong audited = new AtomicLong();
        Gauge.builder(AUDITED, audited, AtomicLong::get)
                .description("row-tamper records in the audit log, from all nodes").register(metrics);
        Runnable sample = () -> vertx.executeBlocking(() -> {
            try {
                audited.set(store.auditedTamperings());
            } catch (RuntimeException e) {
                // the readiness checks report the database; the gauge keeps its last value
            }
            return null;
        }, false);
        sample.run();
        this.timer = vertx.setPeriodic(SAMPLE_EVERY.toMillis(), id -> sample.run());
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
