package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.VertxOptions;

/**
 * The gateway writes and deletes an online-registry entry for every relayed connection, and waits on
 * each asynchronously. On a two-core machine (CI, a two-CPU pod) Hazelcast's default ran every such
 * completion on a thread of its own: hundreds of thread starts a second at market open.
 */
class OnlineRegistryThreadsTest {

    private static final int CONNECTIONS = 200;
    private static ClusterNode node;
    private static OnlineRegistry online;

    @BeforeAll
    static void start() throws Exception {
        node = Await.result(ClusterNode.start(ClusterSettings.loopback(KilledMemberTest.freeBasePort(),
                ClusterIdentity.random("threads-test")), new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)));
        online = new OnlineRegistry(node.hazelcast());
    }

    @AfterAll
    static void stop() {
        online.close();
        node.close();
    }

    @Test
    void connectionsComingAndGoingStartNoThreadEach() throws Exception {
        openAndClose("warm-", 20);
        long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        openAndClose("c-", CONNECTIONS);
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
        assertTrue(started < CONNECTIONS / 10, started + " threads started for " + CONNECTIONS + " connections on "
                + Runtime.getRuntime().availableProcessors() + " cores");
    }

    private static void openAndClose(String prefix, int n) throws Exception {
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            CompletableFuture<Boolean> closed = new CompletableFuture<>();
            online.opened(new OnlineTerminal(id, "", "trading", "9000" + i, "127.0.0.1", "TLCP", "ECC-SM4-SM3", Instant.now(), 0, 0))
                    .whenComplete((v, e) -> online.closed(id).whenComplete((ok, e2) -> closed.complete(ok)));
            done.add(closed);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
