package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.Vertx;

/** Automatic degradation (design §5): one step down, once per opening, alerted, audited, never fighting the SRE. */
class DegradationRuleTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    /** A breaker's state as the app's adapter reports it: opened at some instant, or closed. */
    private static final class Breaker implements BreakerSignal {
        volatile Instant openedAt;

        @Override
        public String name() {
            return "cosign";
        }

        @Override
        public Optional<Instant> openSince() {
            return Optional.ofNullable(openedAt);
        }
    }

    private record Alert(DegradationRule.Outcome outcome, String detail) {
    }

    private final Breaker breaker = new Breaker();
    private final List<Alert> alerts = new ArrayList<>();
    private Vertx vertx;
    private ModeRegistry modes;

    @BeforeAll
    static void migrate() {
        KeystoreSchema.migrate(PG.dataSource());
    }

    @BeforeEach
    void start() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE gm_access_modes, gm_access_mode_history");
        }
        vertx = Vertx.vertx();
        modes = new ModeRegistry(vertx, new PgModeStore(PG.dataSource()), Clock.systemUTC(), Duration.ofMillis(200),
                Optional.empty(), "sh");
        Await.result(modes.start());
    }

    @AfterEach
    void stop() throws Exception {
        modes.close();
        Await.result(vertx.close());
    }

    private DegradationRule rule(boolean allowed) {
        return new DegradationRule(new DegradationSettings("cosign", Scope.site("sh"), Duration.ofSeconds(30),
                Duration.ofMinutes(20), allowed), breaker, modes, Clock.systemUTC(), (r, o, d) -> alerts.add(new Alert(o, d)));
    }

    @Test
    void aBreakerOpenLongEnoughTakesTheScopeToOneWayOnce() throws Exception {
        DegradationRule rule = rule(true);
        assertEquals(DegradationRule.Outcome.CLOSED, rule.evaluate());
        breaker.openedAt = Instant.now().minusSeconds(5);
        assertEquals(DegradationRule.Outcome.WAITING, rule.evaluate());
        breaker.openedAt = Instant.now().minusSeconds(45);
        assertEquals(DegradationRule.Outcome.DEGRADED, rule.evaluate());
        Await.until("ONE_WAY in force", () -> modes.effective("trading") == AccessMode.ONE_WAY, Duration.ofSeconds(10));

        PgModeStore.Change ch = modes.history(1).get(0);
        assertEquals(ModeOrigin.RULE, ch.origin());
        assertEquals("rule:cosign", ch.operator());
        assertEquals(AccessMode.NORMAL, ch.from());
        assertTrue(ch.reason().contains("circuit breaker 'cosign' open for 4"), ch.reason());
        assertTrue(ch.expiresAt().isPresent(), "an automatic change always ends by itself");
        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).detail().contains("confirm with gmgate mode set"), alerts.get(0).detail());

        assertEquals(DegradationRule.Outcome.HANDLED, rule.evaluate(), "once per opening");
        modes.set(Scope.site("sh"), AccessMode.NORMAL, "SRE reverts: cosign-2 carries the load", "alice", Optional.empty());
        Await.until("NORMAL again", () -> modes.effective("trading") == AccessMode.NORMAL, Duration.ofSeconds(10));
        assertEquals(DegradationRule.Outcome.HANDLED, rule.evaluate(), "the rule does not fight the SRE's revert");
        assertEquals(AccessMode.NORMAL, modes.effective("trading"));

        breaker.openedAt = null;
        assertEquals(DegradationRule.Outcome.CLOSED, rule.evaluate());
        breaker.openedAt = Instant.now().minusSeconds(31);
        assertEquals(DegradationRule.Outcome.DEGRADED, rule.evaluate(), "a new opening is a new incident");
        assertEquals(3, modes.history(10).size());
    }

    @Test
    void aRuleThatMayNotActOnlyAlerts() throws Exception {
        DegradationRule rule = rule(false);
        breaker.openedAt = Instant.now().minusSeconds(120);
        assertEquals(DegradationRule.Outcome.NOT_ALLOWED, rule.evaluate());
        assertEquals(DegradationRule.Outcome.HANDLED, rule.evaluate());
        assertEquals(1, alerts.size());
        assertTrue(modes.history(10).isEmpty());
        assertEquals(AccessMode.NORMAL, modes.effective("trading"));
    }

    @Test
    void aScopeAlreadyWeakerIsLeftAlone() throws Exception {
        modes.set(Scope.CLUSTER, AccessMode.BYPASS, "C.2 all cards down", "alice", Optional.empty());
        Await.until("BYPASS seen", () -> modes.effective(Scope.site("sh")) == AccessMode.BYPASS, Duration.ofSeconds(10));
        DegradationRule rule = rule(true);
        breaker.openedAt = Instant.now().minusSeconds(120);
        assertEquals(DegradationRule.Outcome.NOT_NORMAL, rule.evaluate());
        assertEquals(1, modes.history(10).size(), "no change on top of the SRE's BYPASS");
        assertEquals(AccessMode.BYPASS, modes.effective("trading"));
    }

    @Test
    void rulesRunByThemselvesOnATimer() throws Exception {
        breaker.openedAt = Instant.now().minusSeconds(60);
        try (AutoCloseable running = DegradationRule.every(vertx, Duration.ofMillis(100), List.of(rule(true)))) {
            Await.until("the scheduled rule acted", () -> modes.effective("trading") == AccessMode.ONE_WAY, Duration.ofSeconds(10));
        }
        assertEquals(1, modes.history(10).size());
    }
}
