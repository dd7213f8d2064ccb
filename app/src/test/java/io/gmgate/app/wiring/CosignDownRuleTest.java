package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
import io.gmgate.testkit.PgSchema;
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

    private static void await(String what, BooleanSupplier c, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + deadline);
            }
            Thread.sleep(20);
        }
    }

    private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void noCosignNodeForLongEnoughMovesTradingToOneWay() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        Vertx vertx = Vertx.vertx();
        ModeRegistry modes = new ModeRegistry(vertx, new PgModeStore(PG.dataSource()), Clock.systemUTC(), Duration.ofMillis(300),
                Optional.empty(), "sh");
        NetServer cosign = vertx.createNetServer().connectHandler(s -> s.close());
        int port = get(cosign.listen(0, "127.0.0.1")).actualPort();
        FrontPool pool = new FrontPool(vertx, "cosign", List.of(new TradingFront("cosign-1", "127.0.0.1", port)),
                Duration.ofMillis(500), Duration.ofMillis(100)).start();
        DownSignal signal = new DownSignal("cosign", () -> pool.healthyFronts() == 0, Clock.systemUTC());
        java.util.List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        DegradationRule rule = new DegradationRule(new DegradationSettings("cosign", Scope.listener("trading"),
                Duration.ofSeconds(1), Duration.ofMinutes(10), true), signal, modes, Clock.systemUTC(),
                (r, outcome, detail) -> alerts.add(outcome + " " + detail));
        try {
            get(modes.start());
            try (AutoCloseable running = DegradationRule.every(vertx, Duration.ofMillis(200), List.of(rule))) {
                Thread.sleep(500);
                assertEquals(AccessMode.NORMAL, modes.effective("trading"), "cosign answers: nothing to do");
                assertTrue(signal.openSince().isEmpty());

                Instant cut = Instant.now();
                get(cosign.close());
                await("the rule switches trading to ONE_WAY", () -> modes.effective("trading") == AccessMode.ONE_WAY,
                        Duration.ofSeconds(15));
                System.out.println("cosign unreachable -> ONE_WAY after " + Duration.between(cut, Instant.now()).toMillis()
                        + " ms (rule: 1 s open, probes every 100 ms)");
                PgModeStore.Change ch = modes.history(1).get(0);
                assertEquals(ModeOrigin.RULE, ch.origin());
                assertEquals("rule:cosign", ch.operator());
                assertTrue(ch.expiresAt().isPresent());
                await("the alert", () -> !alerts.isEmpty(), Duration.ofSeconds(10));
                assertEquals(1, alerts.size());
                assertTrue(alerts.get(0).startsWith("DEGRADED circuit breaker 'cosign' open for"), alerts.get(0));
                assertEquals(AccessMode.NORMAL, modes.effective("enrolment"), "only the configured scope moves");

                NetServer back = vertx.createNetServer().connectHandler(s -> s.close());
                get(back.listen(port, "127.0.0.1"));
                await("the pool sees cosign again", () -> signal.openSince().isEmpty(), Duration.ofSeconds(10));
                Thread.sleep(500);
                assertEquals(AccessMode.ONE_WAY, modes.effective("trading"), "recovery does not revert by itself: the SRE does");
            }
        } finally {
            pool.close();
            modes.close();
            get(vertx.close());
        }
    }
}
