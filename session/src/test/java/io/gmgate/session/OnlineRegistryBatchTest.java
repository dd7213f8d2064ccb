package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;

import io.vertx.core.VertxOptions;

/**
 * The online registry writes its entries in batches (issue 16: two cluster writes per relayed
 * connection were a tenth of the gateway's CPU per handshake): a connection that ends before its
 * batch leaves never reaches the cluster, one that lives on is listed, and a delete never races
 * ahead of its entry's write.
 */
class OnlineRegistryBatchTest {

    private static ClusterNode node;

    @BeforeAll
    static void start() throws Exception {
        node = Await.result(ClusterNode.start(ClusterSettings.loopback(KilledMemberTest.freeBasePort(),
                ClusterIdentity.random("batch-test")), new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static OnlineTerminal terminal(String id) {
        return new OnlineTerminal(id, "", "trading", "8001", "127.0.0.1", "TLCP1.1", "ECC_SM4_GCM_SM3", Instant.now(), 0, 0);
    }

    @Test
    void connectionsThatEndBeforeTheirBatchCostTheClusterNoWrite() throws Exception {
        IMap<String, String> map = node.hazelcast().getMap(OnlineRegistry.MAP);
        try (OnlineRegistry online = new OnlineRegistry(node.hazelcast(), Duration.ofSeconds(30))) {
            LocalMapStats before = map.getLocalMapStats();
            long writes0 = before.getPutOperationCount() + before.getSetOperationCount() + before.getRemoveOperationCount();
            List<CompletableFuture<?>> done = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger timed = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 100; i++) {
                String id = "short-" + i;
                CompletableFuture<Void> opened = online.opened(terminal(id), nanos -> timed.incrementAndGet()).toCompletableFuture();
                done.add(online.closed(id).toCompletableFuture());
                done.add(opened);
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            LocalMapStats after = map.getLocalMapStats();
            long writes = after.getPutOperationCount() + after.getSetOperationCount() + after.getRemoveOperationCount() - writes0;
            assertEquals(0, writes, "cluster writes for 100 connections that ended before their batch");
            assertTrue(online.all().stream().noneMatch(t -> t.connectionId().startsWith("short-")));
            assertEquals(0, timed.get(), "a write that never happened is not timed as one");
        }
    }

    @Test
    void aConnectionThatLivesOnIsListedAndItsCloseRemovesIt() throws Exception {
        try (OnlineRegistry online = new OnlineRegistry(node.hazelcast(), Duration.ofMillis(20))) {
            List<Long> timed = new java.util.concurrent.CopyOnWriteArrayList<>();
            online.opened(terminal("long-1"), timed::add).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, timed.size(), "the batch's write timed once");
            assertTrue(timed.get(0) > 0 && timed.get(0) < TimeUnit.SECONDS.toNanos(10));
            assertEquals("long-1", online.get("long-1").orElseThrow().connectionId());
            assertEquals(online.node(), online.get("long-1").orElseThrow().node());
            online.closed("long-1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(online.get("long-1").isEmpty());
        }
    }

    @Test
    void aCloseAtAnyPointOfItsBatchNeverLeavesTheEntryBehind() throws Exception {
        try (OnlineRegistry online = new OnlineRegistry(node.hazelcast(), Duration.ofMillis(1))) {
            for (int i = 0; i < 200; i++) {
                String id = "race-" + i;
                CompletableFuture<Void> opened = online.opened(terminal(id)).toCompletableFuture();
                if (i % 3 == 1) {
                    Thread.onSpinWait();
                } else if (i % 3 == 2) {
                    opened.get(10, TimeUnit.SECONDS);
                }
                online.closed(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
                opened.get(10, TimeUnit.SECONDS);
                assertTrue(online.get(id).isEmpty(), id + " revived after its close");
            }
        }
    }
}
