package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.RestartablePg;
import io.vertx.core.VertxOptions;

/**
 * PostgreSQL down in the middle of an incident: running nodes keep the mode they have, and a node
 * that starts now takes the cluster's copy instead of coming up NORMAL while the others are in
 * BYPASS. When PostgreSQL is back, it is the truth again.
 */
class PostgresDownTest {

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<ModeRegistry> registries = new ArrayList<>();
    private RestartablePg pg;
    private final ClusterIdentity identity = ClusterIdentity.random("postgres-down-test");
    private final io.gmgate.crypto.card.SoftCipherCard card = TestCards.soft();
    private final ClusterSeal seal = new ClusterSeal(card, 1, identity.name());

    @AfterEach
    void stop() {
        registries.forEach(ModeRegistry::close);
        Await.leaveAll(nodes);
        if (pg != null) {
            pg.close();
        }
        card.close();
    }

    private ModeRegistry node(int basePort, PgModeStore store) throws Exception {
        ClusterNode n = Await.result(ClusterNode.start(ClusterSettings.loopback(basePort, identity),
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)));
        nodes.add(n);
        ModeRegistry r = new ModeRegistry(n.vertx(), store, Clock.systemUTC(), Duration.ofMillis(300), Optional.empty(), "sh",
                Optional.of(seal));
        registries.add(r);
        Await.result(r.start());
        return r;
    }

    @Test
    void aNodeStartingWhilePostgresIsDownTakesTheClustersCopy() throws Exception {
        pg = new RestartablePg();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl() + "&connectTimeout=2&socketTimeout=5");
        KeystoreSchema.migrate(ds);
        PgModeStore store = new PgModeStore(ds);
        int base = KilledMemberTest.freeBasePort();

        ModeRegistry a = node(base, store);
        a.set(Scope.CLUSTER, AccessMode.BYPASS, "C.2 all cards down", "alice", Optional.empty());
        Await.until("A in BYPASS", () -> a.effective("trading") == AccessMode.BYPASS, Duration.ofSeconds(10));

        pg.stop();
        ModeRegistry b = node(base, store);
        assertEquals(AccessMode.BYPASS, b.effective("trading"), "the new node follows the incident, not the default");
        assertEquals("cluster", b.source());
        assertFalse(b.storeUp());
        Await.until("A notices PostgreSQL is down", () -> !a.storeUp(), Duration.ofSeconds(10));
        assertEquals(AccessMode.BYPASS, a.effective("trading"), "A keeps what it had");

        pg.start();
        long back = Await.until("B reads PostgreSQL again", () -> b.storeUp() && b.source().equals("postgresql"),
                Duration.ofSeconds(20));
        System.out.println("PostgreSQL back: B re-read it after " + back + " ms");
        b.set(Scope.CLUSTER, AccessMode.NORMAL, "cards replaced", "bob", Optional.empty());
        Await.until("A back to NORMAL", () -> a.effective("trading") == AccessMode.NORMAL, Duration.ofSeconds(10));
        assertEquals(AccessMode.BYPASS, store.history(1).get(0).from());
    }

    /**
     * docs/security.md, "The cluster": a member in the cluster without the card plants a BYPASS copy with a huge
     * epoch; while PostgreSQL is down no node adopts it — a new node does not start (MODE-305) rather
     * than start in BYPASS, a running one keeps what it had.
     */
    @Test
    void aCopyOfTheModesNotSealedByTheSiteIsNeverAdopted() throws Exception {
        pg = new RestartablePg();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl() + "&connectTimeout=2&socketTimeout=5");
        KeystoreSchema.migrate(ds);
        PgModeStore store = new PgModeStore(ds);
        int base = KilledMemberTest.freeBasePort();
        ModeRegistry a = node(base, store);
        assertEquals(AccessMode.NORMAL, a.effective("trading"));

        pg.stop();
        Await.until("A notices PostgreSQL is down", () -> !a.storeUp(), Duration.ofSeconds(10));
        // planted once A can no longer refresh the copy from PostgreSQL (before, its next refresh would
        // overwrite the plant with its own sealed copy, and B would start from that instead)
        PgModeStore.Snapshot planted = new PgModeStore.Snapshot(List.of(new ModeSetting(Scope.CLUSTER, AccessMode.BYPASS,
                "planted", "intruder", java.time.Instant.now(), Optional.empty(), 1_000_000)), 1_000_000);
        Await.result(nodes.get(0).vertx().sharedData().<String, String>getAsyncMap(ClusterModeMirror.MAP)
                .compose(m -> m.put(ClusterModeMirror.KEY, ClusterModeMirror.encode(planted))));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> node(base, store),
                "a node started in the planted BYPASS");
        assertTrue(e.toString().contains("MODE-305") || (e.getCause() != null && e.getCause().toString().contains("MODE-305")),
                "no mode source: " + e);
        assertEquals(AccessMode.NORMAL, a.effective("trading"), "A keeps what it had");
        assertEquals(-1, registries.stream().filter(r -> r != a).mapToLong(ModeRegistry::epoch).filter(x -> x > 0).findAny()
                .orElse(-1), "no registry took the planted epoch");
    }
}
