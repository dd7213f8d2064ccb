package io.gmgate.app.wiring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.TradingFront;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.session.AccessMode;
import io.gmgate.session.DegradationRule;
import io.gmgate.session.DegradationSettings;
import io.gmgate.session.ModeOrigin;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;
import io.gmgate.testkit.MutableClock;
import io.gmgate.testkit.PgSchema;
import io.gmgate.ports.ReservedPort;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

/**
 * Seed 003 C.4 end to end on one node: the cosign node stops answering, the front pool's probes
 * see it, and after the configured time the degradation rule moves the trading listener to ONE_WAY
 * with origin RULE and a time-to-live; the node coming back does not undo it (the SRE decides).
 */
class CosignDownRuleTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void noCosignNodeForLongEnoughMovesTradingToOneWay() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        Vertx vertx = Vertx.vertx();
        MutableClock clock = MutableClock.frozenAt(Instant.now());
        ModeRegistry modes = new ModeRegistry(vertx, new PgModeStore(PG.dataSource()), Clock.systemUTC(), Duration.ofMillis(300),
                Optional.empty(), "sh");
        // The node comes back on the same address later: a reserved port, not one released to the kernel.
        ReservedPort port = ReservedPort.reserve();
        NetServer cosign = vertx.createNetServer().connectHandler(s -> s.close());
        get(cosign.listen(port.port(), "127.0.0.1"));
        FrontPool pool = new FrontPool(vertx, "cosign", List.of(new TradingFront("cosign-1", "127.0.0.1", port.port())),
                Duration.ofMillis(500), Duration.ofMillis(100)).start();
        DownSignal signal = new DownSignal("cosign", () -> pool.healthyFronts() == 0, clock);
        List<String> alerts = new CopyOnWriteArrayList<>();
        DegradationRule rule = new DegradationRule(new DegradationSettings("cosign", Scope.listener("trading"),
                Duration.ofSeconds(1), Duration.ofMinutes(10), true), signal, modes, clock,
                (r, outcome, detail) -> alerts.add(outcome + " " + detail));
        try {
            get(modes.start());
            await().atMost(Duration.ofSeconds(15)).until(() -> pool.healthyFronts() == 1);
            clock.advance(Duration.ofHours(1));
            assertEquals(DegradationRule.Outcome.CLOSED, rule.evaluate(), "cosign answers: nothing to do, however long");
            assertEquals(AccessMode.NORMAL, modes.effective("trading"));

            try (AutoCloseable running = DegradationRule.every(vertx, Duration.ofMillis(200), List.of(rule))) {
                get(cosign.close());
                await().atMost(Duration.ofSeconds(15)).until(() -> signal.openSince().isPresent());
                assertEquals(DegradationRule.Outcome.WAITING, rule.evaluate(), "open for less than the rule's second");
                assertEquals(AccessMode.NORMAL, modes.effective("trading"));

                clock.advance(Duration.ofSeconds(1));
                await("the rule switches trading to ONE_WAY").atMost(Duration.ofSeconds(15))
                        .until(() -> modes.effective("trading") == AccessMode.ONE_WAY);
                PgModeStore.Change ch = modes.history(1).get(0);
                assertEquals(ModeOrigin.RULE, ch.origin());
                assertEquals("rule:cosign", ch.operator());
                assertTrue(ch.expiresAt().isPresent());
                await("the alert").atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
                assertEquals(1, alerts.size());
                assertTrue(alerts.get(0).startsWith("DEGRADED circuit breaker 'cosign' open for"), alerts.get(0));
                assertEquals(AccessMode.NORMAL, modes.effective("enrolment"), "only the configured scope moves");

                NetServer back = vertx.createNetServer().connectHandler(s -> s.close());
                get(back.listen(port.port(), "127.0.0.1"));
                await("the pool sees cosign again").atMost(Duration.ofSeconds(10)).until(() -> signal.openSince().isEmpty());
                assertEquals(DegradationRule.Outcome.CLOSED, rule.evaluate());
                assertEquals(AccessMode.ONE_WAY, modes.effective("trading"), "recovery does not revert by itself: the SRE does");
            }
        } finally {
            pool.close();
            modes.close();
            port.close();
            get(vertx.close());
        }
    }
}
