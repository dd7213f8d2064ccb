package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;

/** The mode store on a real PostgreSQL: who may change what, what the history keeps, what expiry does. */
class PgModeStoreTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private PgModeStore store;

    @BeforeAll
    static void migrate() {
        KeystoreSchema.migrate(PG.dataSource());
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE gm_access_modes, gm_access_mode_history");
        }
        store = new PgModeStore(PG.dataSource());
    }

    @Test
    void theHistoryKeepsWhoWhenWhyFromAndTo() {
        store.set(Scope.CLUSTER, AccessMode.BYPASS, "C.2 all cards down, INC-17", "alice", Optional.of(Duration.ofHours(1)), T0);
        store.set(Scope.site("sh"), AccessMode.ONE_WAY, "C.3 CA down", "bob", Optional.empty(), T0.plusSeconds(60));
        List<PgModeStore.Change> h = store.history(10);
        PgModeStore.Change site = h.get(0);
        assertEquals(Scope.site("sh"), site.scope());
        assertEquals(AccessMode.BYPASS, site.from(), "the site inherited BYPASS from the cluster: that is what it left");
        assertEquals(AccessMode.ONE_WAY, site.to());
        assertEquals("bob", site.operator());
        assertEquals("C.3 CA down", site.reason());
        assertEquals(T0.plusSeconds(60), site.at());
        assertEquals(ModeOrigin.OPERATOR, site.origin());
        PgModeStore.Change cluster = h.get(1);
        assertEquals(AccessMode.NORMAL, cluster.from());
        assertEquals(Optional.of(T0.plusSeconds(3600)), cluster.expiresAt());
        assertTrue(site.epoch() > cluster.epoch());
        PgModeStore.Snapshot snap = store.snapshot();
        assertEquals(site.epoch(), snap.epoch(), "a snapshot is labelled with the newest epoch");
        assertEquals(2, snap.settings().size());
    }

    @Test
    void aRuleMayOnlyTakeANormalScopeOneStepDown() {
        store.set(Scope.site("sh"), AccessMode.ONE_WAY, "cosign open 60 s", "rule:cosign", Optional.of(Duration.ofMinutes(30)),
                T0, ModeOrigin.RULE);
        assertEquals(ModeOrigin.RULE, store.history(1).get(0).origin());
        SessionException again = assertThrows(SessionException.class, () -> store.set(Scope.site("sh"), AccessMode.BYPASS,
                "cosign open 10 min", "rule:cosign", Optional.of(Duration.ofMinutes(30)), T0, ModeOrigin.RULE));
        assertEquals(SessionErrors.ILLEGAL_TRANSITION, again.errorCode());
        store.set(Scope.CLUSTER, AccessMode.BYPASS, "C.2", "alice", Optional.empty(), T0);
        SessionException inherited = assertThrows(SessionException.class, () -> store.set(Scope.site("bj"), AccessMode.ONE_WAY,
                "ca open", "rule:ca", Optional.of(Duration.ofMinutes(30)), T0, ModeOrigin.RULE));
        assertTrue(inherited.getMessage().contains("BYPASS -> ONE_WAY"), "a rule must not raise a site out of the cluster's BYPASS: "
                + inherited.getMessage());
        assertEquals(2, store.history(10).size(), "refused changes leave no trace in the history");
        assertEquals(AccessMode.ONE_WAY, store.current().stream().filter(s -> s.scope().equals(Scope.site("sh"))).findFirst()
                .orElseThrow().mode());
    }

    @Test
    void badChangesAreRefusedWithACode() {
        assertEquals(SessionErrors.BAD_CHANGE, assertThrows(SessionException.class, () -> store.set(Scope.CLUSTER,
                AccessMode.BYPASS, " ", "alice", Optional.empty(), T0)).errorCode());
        assertEquals(SessionErrors.BAD_CHANGE, assertThrows(SessionException.class, () -> store.set(Scope.CLUSTER,
                AccessMode.BYPASS, "drill", "alice", Optional.of(Duration.ZERO), T0)).errorCode());
        assertEquals(SessionErrors.BAD_CHANGE, assertThrows(SessionException.class, () -> store.set(Scope.CLUSTER,
                AccessMode.NORMAL, "drill", "alice", Optional.empty(), T0, ModeOrigin.EXPIRY)).errorCode());
        assertEquals(SessionErrors.BAD_SCOPE, assertThrows(SessionException.class, () -> Scope.parse("region:east")).errorCode());
        assertTrue(store.history(10).isEmpty());
    }

    @Test
    void expiryFallsBackToTheWiderScopeAndSaysSo() {
        store.set(Scope.CLUSTER, AccessMode.ONE_WAY, "C.3", "alice", Optional.empty(), T0);
        store.set(Scope.site("sh"), AccessMode.BYPASS, "C.2 at sh", "bob", Optional.of(Duration.ofMinutes(5)), T0);
        assertTrue(store.expire(T0.plusSeconds(299)).isEmpty());
        List<PgModeStore.Change> ended = store.expire(T0.plusSeconds(300));
        assertEquals(1, ended.size());
        PgModeStore.Change e = ended.get(0);
        assertEquals(AccessMode.BYPASS, e.from());
        assertEquals(AccessMode.ONE_WAY, e.to(), "the site falls back to the cluster's ONE_WAY, not to NORMAL");
        assertEquals(ModeOrigin.EXPIRY, e.origin());
        assertEquals(e.epoch(), store.history(1).get(0).epoch());
        assertTrue(store.expire(T0.plusSeconds(301)).isEmpty(), "an expiry is recorded once");
        assertEquals(List.of(Scope.CLUSTER), store.current().stream().map(ModeSetting::scope).toList());
    }

    @Test
    void aChangeIsAnnouncedAtCommitOnTheNotificationChannel() throws Exception {
        try (Connection listener = PG.dataSource().getConnection(); Statement st = listener.createStatement()) {
            st.execute("LISTEN " + PgModeStore.CHANNEL);
            ModeSetting s = store.set(Scope.listener("trading"), AccessMode.ONE_WAY, "drill", "alice", Optional.empty(), T0);
            PGNotification[] got = null;
            for (int i = 0; i < 20 && (got == null || got.length == 0); i++) {
                got = listener.unwrap(PGConnection.class).getNotifications(250);
            }
            assertTrue(got != null && got.length > 0, "no notification within 5 s");
            assertTrue(java.util.Arrays.stream(got).anyMatch(n -> n.getParameter().equals(Long.toString(s.epoch()))),
                    "the payload is the new epoch");
        }
    }
}
