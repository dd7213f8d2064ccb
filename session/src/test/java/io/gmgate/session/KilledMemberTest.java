package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.vertx.core.VertxOptions;

/**
 * A member killed with SIGKILL (its own JVM): the survivors drop the terminals it carried and still
 * serve every cached TLCP session, including those whose partitions it owned (Hazelcast keeps one
 * backup of each partition on another member).
 */
class KilledMemberTest {

    private static final int SESSIONS = 64;
    private static final ClusterIdentity IDENTITY = ClusterIdentity.random("killed-member-test");
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<OnlineRegistry> registries = new ArrayList<>();
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        registries.forEach(OnlineRegistry::close);
        Await.leaveAll(nodes);
    }

    /**
     * A base port for a test cluster: free now, chosen by the OS, so two builds on one machine do not
     * join each other's clusters (members are found by scanning up from the base).
     */
    static int freeBasePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() > 65_000 ? 45_000 : s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process startChild(int basePort, int terminals) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ClusterMemberProcess.class.getName(),
                Integer.toString(basePort), Integer.toString(terminals), IDENTITY.name(),
                HexFormat.of().formatHex(IDENTITY.secret()))
                .redirectErrorStream(true).start();
    }

    /** Reads the child's output until READY (echoing it), on a thread, so the wait is bounded. */
    private static CompletableFuture<String> ready(Process p) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        ready.complete(line.substring(6).trim());
                    } else if (line.contains("ERROR") || line.contains("Exception")) {
                        System.out.println("[child] " + line);
                    }
                }
                ready.completeExceptionally(new AssertionError("child exited before READY"));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return ready;
    }

    @Test
    void theSurvivorsDropItsTerminalsAndStillServeEverySession() throws Exception {
        int base = freeBasePort();
        for (int i = 0; i < 2; i++) {
            ClusterNode n = Await.result(ClusterNode.start(ClusterMemberProcess.settings(base, IDENTITY),
                    new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)));
            nodes.add(n);
            registries.add(new OnlineRegistry(n.hazelcast()));
        }
        long t0 = System.nanoTime();
        child = startChild(base, 3);
        String childId = ready(child).get(90, TimeUnit.SECONDS);
        System.out.println("child member ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        Await.until("three members", () -> nodes.get(0).members() == 3, Duration.ofSeconds(30));
        // partitions move to a joining member in the background: wait until it owns some and all backups are in place
        var partitions = nodes.get(0).hazelcast().getPartitionService();
        Await.until("partitions migrated to the new member", () -> partitions.isClusterSafe() && partitions.getPartitions()
                .stream().anyMatch(p -> p.getOwner() != null && p.getOwner().getUuid().toString().equals(childId)),
                Duration.ofSeconds(30));

        registries.get(0).opened(new OnlineTerminal("a-0", "", "trading", "8001", "10.0.0.1", "TLCP1.1", "ECC_SM4_GCM_SM3",
                Instant.now(), 0, 0)).toCompletableFuture().join();
        registries.get(1).opened(new OnlineTerminal("b-0", "", "trading", "8002", "10.0.0.2", "TLCP1.1", "ECC_SM4_GCM_SM3",
                Instant.now(), 0, 0)).toCompletableFuture().join();
        assertEquals(5, registries.get(0).all().size());
        assertEquals(3, registries.get(1).all().stream().filter(t -> t.node().equals(childId)).count());

        io.gmgate.crypto.card.SoftCipherCard card = TestCards.soft();
        ClusterSeal seal = new ClusterSeal(card, 1, IDENTITY.name());
        ClusterSessionCache onA = new ClusterSessionCache(nodes.get(0).hazelcast().getMap(ClusterSessionCache.MAP),
                Duration.ofMinutes(10), seal);
        for (int i = 0; i < SESSIONS; i++) {
            onA.put(new SessionState(new byte[] {7, (byte) i}, CipherSuite.ECC_SM4_GCM_SM3, new byte[48], List.of(), Instant.now()));
        }
        long ownedByChild = nodes.get(0).hazelcast().getMap(ClusterSessionCache.MAP).keySet().stream()
                .filter(k -> nodes.get(0).hazelcast().getPartitionService().getPartition(k).getOwner().getUuid().toString()
                        .equals(childId)).count();

        long killedAt = System.nanoTime();
        child.destroyForcibly(); // SIGKILL on Linux: the member cannot say goodbye
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        long dropped = Await.until("the killed member's terminals dropped",
                () -> registries.get(0).all().size() == 2 && registries.get(1).all().size() == 2, Duration.ofSeconds(30));
        System.out.println("killed member (" + ownedByChild + " of " + SESSIONS + " sessions in its partitions): terminals dropped "
                + dropped + " ms after SIGKILL; member count now " + nodes.get(0).members());

        ClusterSessionCache onB = new ClusterSessionCache(nodes.get(1).hazelcast().getMap(ClusterSessionCache.MAP),
                Duration.ofMinutes(10), seal);
        for (int i = 0; i < SESSIONS; i++) {
            assertTrue(onB.get(new byte[] {7, (byte) i}).isPresent(), "session " + i + " lost with the killed member");
        }
        assertTrue(ownedByChild > 0, "the test is only meaningful if the killed member owned some sessions");
        System.out.println("all " + SESSIONS + " sessions still served "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after the kill");
    }
}
