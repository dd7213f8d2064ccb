package io.gmgate.gateway.admin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.Vertx;

/**
 * The console's live charts from the node's own meters (docs/console.md: no Prometheus needed): once a
 * second it turns counters into rates — logins (trading handshakes that ended well), handshake
 * failures by code ({@code gmgate.refused}), co-signed logins and their p99 — and keeps the last
 * {@value #KEEP} samples. A gateway sees a co-signature as the client flight of a two-way trading
 * handshake (login phase {@code client_flight}: the terminal's CertificateVerify waits for its cosign
 * round trip); the cosign nodes' own counts are on their admin listeners' /metrics.
 */
public final class MeterSampler implements AutoCloseable {

    static final String COSIGNED_FLIGHT = io.gmgate.gateway.LoginPhases.CLIENT_FLIGHT;
    static final int KEEP = 120;

    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Deque<Map<String, Object>> points = new ArrayDeque<>();
    private final long timer;
    private double lastLogins = -1;
    private double lastCosigns = -1;
    private final Map<String, Double> lastFailures = new HashMap<>();
    private long lastAt;

    public MeterSampler(Vertx vertx, MeterRegistry registry, long everyMillis) {
        this.vertx = vertx;
        this.registry = registry;
        this.timer = vertx.setPeriodic(everyMillis, id -> sample());
    }

    private void sample() {
        long now = System.currentTimeMillis();
        double seconds = lastAt == 0 ? 1 : Math.max(0.001, (now - lastAt) / 1000.0);
        double logins = 0;
        for (Counter c : registry.find("gmgate.handshakes").tag("listener", "trading").counters()) {
            String result = c.getId().getTag("result");
            logins += "ok".equals(result) || "resumed".equals(result) ? c.count() : 0;
        }
        Map<String, Double> failures = new TreeMap<>();
        for (Counter c : registry.find("gmgate.refused").counters()) {
            failures.merge(String.valueOf(c.getId().getTag("code")), c.count(), Double::sum);
        }
        double cosigns = 0;
        double p99 = 0;
        for (Timer t : registry.find(io.gmgate.gateway.LoginPhases.METRIC).tag("phase", COSIGNED_FLIGHT).timers()) {
            cosigns += t.count();
            for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
                if (v.percentile() >= 0.99) {
                    p99 = Math.max(p99, v.value(java.util.concurrent.TimeUnit.MILLISECONDS));
                }
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("t", now);
        p.put("loginsPerSec", rate(logins, lastLogins, seconds));
        Map<String, Double> failureRates = new TreeMap<>();
        failures.forEach((code, n) -> failureRates.put(code, rate(n, lastFailures.getOrDefault(code, lastAt == 0 ? n : 0.0), seconds)));
        p.put("failuresPerSec", failureRates);
        p.put("cosignsPerSec", rate(cosigns, lastCosigns, seconds));
        p.put("cosignP99Ms", p99);
        lastLogins = logins;
        lastCosigns = cosigns;
        lastFailures.putAll(failures);
        lastAt = now;
        synchronized (points) {
            points.addLast(p);
            while (points.size() > KEEP) {
                points.removeFirst();
            }
        }
    }

    private static double rate(double now, double before, double seconds) {
        return before < 0 ? 0 : Math.max(0, (now - before) / seconds);
    }

    /** The samples, oldest first, ready for JSON. */
    public Map<String, Object> points() {
        List<Map<String, Object>> copy;
        synchronized (points) {
            copy = new ArrayList<>(points);
        }
        return Map.of("points", copy);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
