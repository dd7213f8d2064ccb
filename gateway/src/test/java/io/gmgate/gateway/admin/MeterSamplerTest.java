package io.gmgate.gateway.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.gmgate.gateway.LoginPhases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/** The console's co-sign charts count and time what a gateway sees of a co-signature: a two-way login's client flight. */
class MeterSamplerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void coSignedClientFlightsBecomeTheCoSignRateAndItsP99() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoginPhases phases = LoginPhases.of(registry);
        try (MeterSampler sampler = new MeterSampler(vertx, registry, 50)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> points(sampler).size() >= 1);
            for (int i = 0; i < 20; i++) {
                phases.record(LoginPhases.CLIENT_FLIGHT, Duration.ofMillis(40).toNanos());
            }
            phases.record(LoginPhases.HELLO_FLIGHT, Duration.ofMillis(900).toNanos());
            await().atMost(Duration.ofSeconds(10)).until(() -> points(sampler).stream()
                    .anyMatch(p -> ((Number) p.get("cosignsPerSec")).doubleValue() > 0));
            double p99 = ((Number) points(sampler).get(points(sampler).size() - 1).get("cosignP99Ms")).doubleValue();
            assertTrue(p99 >= 30 && p99 <= 60, "p99 of the client flights, not of another phase: " + p99);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> points(MeterSampler sampler) {
        return (List<Map<String, Object>>) sampler.points().get("points");
    }
}
