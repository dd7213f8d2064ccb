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
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.vertx.core.VertxOptions;

/** Three real cluster members on loopback sharing one PostgreSQL: modes, session cache, online terminals. */
class ClusterTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static final int BASE_PORT = KilledMemberTest.freeBasePort();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<ModeRegistry> registries = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("TRUNCATE gm_access_modes, gm_access_mode_history");
        }
        for (int i = 0; i < 3; i++) {
            startNode();
        }
    }

    private void startNode() throws Exception {
        ClusterNode n = ClusterNode.start(ClusterSettings.loopback(BASE_PORT), new VertxOptions().setEventLoopPoolSize(1)
                .setWorkerPoolSize(4)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        ModeRegistry r = new ModeRegistry(n.vertx(), new PgModeStore(PG.dataSource()), Clock.systemUTC(),
                Duration.ofMillis(500), Optional.empty(), "sh");
        r.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        nodes.add(n);
        registries.add(r);
    }

    @AfterEach
    void stop() {
        registries.forEach(ModeRegistry::close);
        registries.clear();
        Await.leaveAll(nodes);
    }

    private static long await(String what, BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + deadline);
            }
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aModeFlipReachesEveryNodeAndIsRecorded() throws Exception {
        assertEquals(3, nodes.get(0).members());
        long started = System.nanoTime();
        nodes.get(0).vertx().executeBlocking(() -> registries.get(0).set(Scope.CLUSTER, AccessMode.BYPASS,
                "drill C.1", "alice", Optional.of(Duration.ofHours(1)))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        for (int i = 1; i < 3; i++) {
            ModeRegistry r = registries.get(i);
            await("node " + i + " sees BYPASS", () -> r.effective("trading") == AccessMode.BYPASS, Duration.ofSeconds(5));
        }
        System.out.println("mode flip seen by all 3 nodes after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        registries.get(1).set(Scope.listener("trading"), AccessMode.ONE_WAY, "C.4 drill", "bob", Optional.empty());
        await("listener override", () -> registries.get(2).effective("trading") == AccessMode.ONE_WAY, Duration.ofSeconds(5));
        assertEquals(AccessMode.BYPASS, registries.get(2).effective("enrolment"), "other listeners follow the cluster");
        PgModeStore.Change last = registries.get(0).history(1).get(0);
        assertEquals("bob", last.operator());
        assertEquals(AccessMode.ONE_WAY, last.to());
    }

    @Test
    void aSettingExpiresByItselfEverywhere() throws Exception {
        registries.get(0).set(Scope.site("sh"), AccessMode.ONE_WAY, "short drill", "alice", Optional.of(Duration.ofSeconds(1)));
        await("node 2 sees ONE_WAY", () -> registries.get(2).effective("trading") == AccessMode.ONE_WAY, Duration.ofSeconds(5));
        for (ModeRegistry r : registries) {
            await("expiry", () -> r.effective("trading") == AccessMode.NORMAL, Duration.ofSeconds(10));
        }
        await("the expiry is recorded once", () -> registries.get(0).history(5).stream()
                .filter(c -> c.reason().equals("time-to-live expired")).count() == 1, Duration.ofSeconds(10));
        await("the setting is gone from the store, not just ignored", () -> registries.get(0).view().isEmpty(),
                Duration.ofSeconds(5));
    }

    @Test
    void aRestartOfTheWholeClusterKeepsTheMode() throws Exception {
        registries.get(0).set(Scope.CLUSTER, AccessMode.BYPASS, "incident", "alice", Optional.empty());
        stop();
        startNode();
        assertEquals(AccessMode.BYPASS, registries.get(0).effective("trading"));
    }

    @Test
    void aSessionCachedOnOneNodeResumesOnAnother() {
        ClusterSessionCache a = new ClusterSessionCache(nodes.get(0).hazelcast().getMap(ClusterSessionCache.MAP), Duration.ofMinutes(5));
        ClusterSessionCache c = new ClusterSessionCache(nodes.get(2).hazelcast().getMap(ClusterSessionCache.MAP), Duration.ofMinutes(5));
        SessionState s = new SessionState(new byte[] {1, 2, 3}, CipherSuite.ECC_SM4_GCM_SM3, new byte[48], List.of(), Instant.now());
        a.put(s);
        assertEquals(CipherSuite.ECC_SM4_GCM_SM3, c.get(new byte[] {1, 2, 3}).orElseThrow().suite());
        c.remove(new byte[] {1, 2, 3});
        assertTrue(a.get(new byte[] {1, 2, 3}).isEmpty());
    }

    @Test
    void theTerminalsOfANodeThatLeavesDisappearFromTheList() throws Exception {
        OnlineRegistry r0 = new OnlineRegistry(nodes.get(0).hazelcast());
        OnlineRegistry r1 = new OnlineRegistry(nodes.get(1).hazelcast());
        r0.opened(new OnlineTerminal("c-0", "", "trading", "8001", "10.0.0.1", "TLCP1.1", "ECC_SM4_GCM_SM3", Instant.now(), 0, 0));
        r1.opened(new OnlineTerminal("c-1", "", "trading", "8002", "10.0.0.2", "TLCP1.1", "ECC_SM4_GCM_SM3", Instant.now(), 0, 0));
        r1.updated("c-1", 100, 200);
        assertEquals(2, r0.all().size());
        assertEquals(200, r0.get("c-1").orElseThrow().bytesDown());
        registries.remove(1).close();
        nodes.remove(1).close();
        long took = await("node 1's terminal removed", () -> r0.all().size() == 1, Duration.ofSeconds(20));
        System.out.println("terminals of the departed node dropped after " + took + " ms");
        assertFalse(r0.get("c-1").isPresent());
        assertEquals("8001", r0.all().get(0).account());
    }
}
