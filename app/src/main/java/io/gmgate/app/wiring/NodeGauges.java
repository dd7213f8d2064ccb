package io.gmgate.app.wiring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.admin.ReadinessCheck;
import io.gmgate.session.AccessMode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * The gauges the Prometheus alerts of deploy/k8s (appendix C symptoms) read from a gateway node:
 * the trading listener's effective access mode, healthy fronts per pool, and each readiness check's
 * last result. Readiness is sampled on a worker every {@link #SAMPLE_EVERY}, because a scrape is
 * answered on an event loop and must not wait on the cipher card or the database.
 */
final class NodeGauges implements AutoCloseable {

    static final String ACCESS_MODE = "gmgate.access.mode";
    static final String FRONTS_HEALTHY = "gmgate.fronts.healthy";
    static final String FRONTS_CONFIGURED = "gmgate.fronts.configured";
    static final String READY = "gmgate.ready";
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final List<ReadinessCheck> checks;
    private final Map<String, AtomicInteger> ready = new ConcurrentHashMap<>();
    private final long timer;

    NodeGauges(Vertx vertx, MeterRegistry metrics, String listener, Supplier<AccessMode> mode, List<FrontPool> pools,
               List<Integer> configured, List<ReadinessCheck> checks) {
        this.vertx = vertx;
        this.checks = List.copyOf(checks);
        Gauge.builder(ACCESS_MODE, () -> code(mode.get())).tag("listener", listener)
                .description("effective access mode: 0 NORMAL, 1 ONE_WAY, 2 BYPASS").register(metrics);
        for (int i = 0; i < pools.size(); i++) {
            FrontPool pool = pools.get(i);
            Gauge.builder(FRONTS_HEALTHY, pool::healthyFronts).tag("pool", pool.name())
                    .description("fronts of the pool that answered the last probe").register(metrics);
            Gauge.builder(FRONTS_CONFIGURED, configured.get(i), Integer::doubleValue).tag("pool", pool.name()).register(metrics);
        }
        for (ReadinessCheck c : this.checks) {
            AtomicInteger up = new AtomicInteger();
            ready.put(c.name(), up);
            Gauge.builder(READY, up, AtomicInteger::get).tag("check", c.name())
                    .description("1 when the readiness check passed at its last sample, 0 when it failed").register(metrics);
        }
        sample();
        this.timer = vertx.setPeriodic(SAMPLE_EVERY.toMillis(), id -> sample());
    }

    /** The numbers the dashboard's legend names: 0 normal, 1 one-way, 2 bypass. */
    static int code(AccessMode mode) {
        return switch (mode) {
            case NORMAL -> 0;
            case ONE_WAY -> 1;
            case BYPASS -> 2;
        };
    }

    private void sample() {
        vertx.executeBlocking(() -> {
            for (ReadinessCheck c : checks) {
                int passed;
                try {
                    c.check();
                    passed = 1;
                } catch (Exception e) {
                    passed = 0; // the reason is on /health/ready; the gauge only says which check
                }
                ready.get(c.name()).set(passed);
            }
            return null;
        }, false);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
