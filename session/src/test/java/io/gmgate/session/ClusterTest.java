package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.vertx.core.VertxOptions;

/**
 * Three real cluster members on loopback sharing one PostgreSQL: modes, session cache, online
 * terminals. One cluster serves the class (a start and a graceful leave cost seconds each); the
 * two tests that change its membership run last, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static final int BASE_PORT = KilledMemberTest.freeBasePort();
    private static final List<ClusterNode> NODES = new ArrayList<>();
    private static final List<ModeRegistry> REGISTRIES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        for (int i = 0; i < 3; i++) {
            startNode();
        }
    }

    private static void startNode() throws Exception {
        ClusterNode n = Await.result(ClusterNode.start(ClusterSettings.loopback(BASE_PORT), new VertxOptions()
                .setEventLoopPoolSize(1).setWorkerPoolSize(4)));
        ModeRegistry r = new ModeRegistry(n.vertx(), new PgModeStore(PG.dataSource()), Clock.systemUTC(),
                Duration.ofMillis(500), Optional.empty(), "sh");
        Await.result(r.start());
        NODES.add(n);
        REGISTRIES.add(r);
    }

    @BeforeEach
    void noModes() throws Exception {
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("TRUNCATE gm_access_modes, gm_access_mode_history");
        }
        for (ModeRegistry r : REGISTRIES) {
            Await.result(r.refresh());
        }
    }

    @AfterAll
    static void stop() {
        REGISTRIES.forEach(ModeRegistry::close);
        REGISTRIES.clear();
        Await.leaveAll(NODES);
    }

    @Test
    @Order(1)
    void aModeFlipReachesEveryNodeAndIsRecorded() throws Exception {
        assertEquals(3, NODES.get(0).members());
        long started = System.nanoTime();
        Await.result(NODES.get(0).vertx().executeBlocking(() -> REGISTRIES.get(0).set(Scope.CLUSTER, AccessMode.BYPASS,
                "drill C.1", "alice", Optional.of(Duration.ofHours(1)))));
        List<Long> seen = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            ModeRegistry r = REGISTRIES.get(i);
            Await.until("node " + i + " sees BYPASS", () -> r.effective("trading") == AccessMode.BYPASS, Duration.ofSeconds(5));
            seen.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        // the design's goal is one second; the deadline above is generous so a loaded machine does not fail the build
        System.out.println("mode flip seen by nodes 1 and 2 after " + seen + " ms (goal: under 1000 ms)");
        REGISTRIES.get(1).set(Scope.listener("trading"), AccessMode.ONE_WAY, "C.4 drill", "bob", Optional.empty());
        Await.until("listener override", () -> REGISTRIES.get(2).effective("trading") == AccessMode.ONE_WAY,
                Duration.ofSeconds(5));
        assertEquals(AccessMode.BYPASS, REGISTRIES.get(2).effective("enrolment"), "other listeners follow the cluster");
        PgModeStore.Change last = REGISTRIES.get(0).history(1).get(0);
        assertEquals("bob", last.operator());
        assertEquals(AccessMode.BYPASS, last.from(), "the listener inherited BYPASS before");
        assertEquals(AccessMode.ONE_WAY, last.to());
        assertEquals(ModeOrigin.OPERATOR, last.origin());
    }

    @Test
    @Order(2)
    void aSettingExpiresByItselfEverywhere() throws Exception {
        REGISTRIES.get(0).set(Scope.site("sh"), AccessMode.ONE_WAY, "short drill", "alice", Optional.of(Duration.ofSeconds(1)));
        Await.until("node 2 sees ONE_WAY", () -> REGISTRIES.get(2).effective("trading") == AccessMode.ONE_WAY,
                Duration.ofSeconds(5));
        for (ModeRegistry r : REGISTRIES) {
            Await.until("expiry", () -> r.effective("trading") == AccessMode.NORMAL, Duration.ofSeconds(10));
        }
        Await.until("the expiry is recorded once", () -> REGISTRIES.get(0).history(5).stream()
                .filter(c -> c.origin() == ModeOrigin.EXPIRY).count() == 1, Duration.ofSeconds(10));
        for (ModeRegistry r : REGISTRIES) {
            Await.until("the setting is gone from every view, not just ignored", () -> r.view().isEmpty(), Duration.ofSeconds(5));
        }
    }

    @Test
    @Order(3)
    void aSessionCachedOnOneNodeResumesOnAnother() {
        ClusterSessionCache a = new ClusterSessionCache(NODES.get(0).hazelcast().getMap(ClusterSessionCache.MAP), Duration.ofMinutes(5));
        ClusterSessionCache c = new ClusterSessionCache(NODES.get(2).hazelcast().getMap(ClusterSessionCache.MAP), Duration.ofMinutes(5));
        SessionState s = new SessionState(new byte[] {1, 2, 3}, CipherSuite.ECC_SM4_GCM_SM3, new byte[48], List.of(), Instant.now());
        a.put(s);
        assertEquals(CipherSuite.ECC_SM4_GCM_SM3, c.get(new byte[] {1, 2, 3}).orElseThrow().suite());
        c.remove(new byte[] {1, 2, 3});
        assertTrue(a.get(new byte[] {1, 2, 3}).isEmpty());
    }

    @Test
    @Order(10)
    void theTerminalsOfANodeThatLeavesDisappearFromTheList() throws Exception {
        OnlineRegistry r0 = new OnlineRegistry(NODES.get(0).hazelcast());
        OnlineRegistry r1 = new OnlineRegistry(NODES.get(1).hazelcast());
        r0.opened(new OnlineTerminal("c-0", "", "trading", "8001", "10.0.0.1", "TLCP1.1", "ECC_SM4_GCM_SM3", Instant.now(), 0, 0)).toCompletableFuture().join();
        r1.opened(new OnlineTerminal("c-1", "", "trading", "8002", "10.0.0.2", "TLCP1.1", "ECC_SM4_GCM_SM3", Instant.now(), 0, 0)).toCompletableFuture().join();
        r1.updated("c-1", 100, 200);
        assertEquals(2, r0.all().size());
        assertEquals(200, r0.get("c-1").orElseThrow().bytesDown());
        REGISTRIES.remove(1).close();
        NODES.remove(1).close();
        long took = Await.until("node 1's terminal removed", () -> r0.all().size() == 1, Duration.ofSeconds(20));
        System.out.println("terminals of the departed node dropped after " + took + " ms");
        assertFalse(r0.get("c-1").isPresent());
        assertEquals("8001", r0.all().get(0).account());
        r0.close();
    }

    @Test
    @Order(11)
    void aRestartOfTheWholeClusterKeepsTheMode() throws Exception {
        REGISTRIES.get(0).set(Scope.CLUSTER, AccessMode.BYPASS, "incident", "alice", Optional.empty());
        stop();
        startNode();
        assertEquals(AccessMode.BYPASS, REGISTRIES.get(0).effective("trading"));
        assertEquals("postgresql", REGISTRIES.get(0).source(), "a fresh cluster has no copy: the mode came from the store");
    }
}
