package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.cosign.state.LoginSession;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSettings;
import io.vertx.core.VertxOptions;

/** Two cosign nodes' shared state over a real two-member cluster: any node serves any request. */
class ClusterCosignStateTest {

    private static ClusterNode a;
    private static ClusterNode b;
    private static io.gmgate.crypto.card.SoftCipherCard card;
    private static io.gmgate.session.ClusterSeal seal;

    @BeforeAll
    static void start() throws Exception {
        card = io.gmgate.crypto.card.SoftCipherCard.init(java.nio.file.Files.createTempDirectory("cosign-state").resolve("card.gmc"),
                "cosign state test".toCharArray());
        ClusterSettings settings = ClusterSettings.loopback(io.gmgate.testkit.ClusterPorts.freeBase(),
                io.gmgate.session.ClusterIdentity.random("cosign-state-test"));
        seal = new io.gmgate.session.ClusterSeal(card, 1, settings.identity().name());
        a = ClusterNode.start(settings, new VertxOptions()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        b = ClusterNode.start(settings, new VertxOptions()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        card.close();
    }

    private static ClusterLoginSessions sessions(ClusterNode on) {
        return new ClusterLoginSessions(on.hazelcast(), Clock.systemUTC(), Duration.ofMinutes(15), Duration.ofHours(12), seal);
    }

    /** docs/security.md, "The cluster": a member in the cluster wrote a login session for a token of its own choosing. */
    @Test
    void aLoginSessionWrittenWithoutTheCardDoesNotAuthenticate() {
        ClusterLoginSessions onA = sessions(a);
        com.hazelcast.map.IMap<String, String> raw = b.hazelcast().getMap(ClusterLoginSessions.MAP);
        String token = "chosen-by-the-intruder";
        String key = java.util.HexFormat.of().formatHex(io.gmgate.crypto.Sm3.digest(token.getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)));
        java.time.Instant now = java.time.Instant.now();
        raw.set(key, new io.vertx.core.json.JsonObject().put("id", "x").put("account", "8009999").put("device", "d")
                .put("restricted", false).put("createdAt", now.toString()).put("expiresAt", now.plusSeconds(600).toString())
                .put("hard", now.plusSeconds(3600).toString()).encode());
        assertTrue(onA.touch(token).isEmpty(), "an unsealed entry is no login");
        assertTrue(raw.get(key) == null, "and is dropped");

        LoginSession victim = onA.open("8009999", "desk", false);
        String victimKey = java.util.HexFormat.of().formatHex(io.gmgate.crypto.Sm3.digest(victim.token().getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)));
        raw.set(key, raw.get(victimKey));
        assertTrue(onA.touch(token).isEmpty(), "the victim's sealed entry copied under the intruder's token does not open");
        assertTrue(sessions(b).touch(victim.token()).isPresent(), "the victim's own still does");
        assertTrue(!raw.get(victimKey).contains("desk"), "and only the account is readable in the map");
    }

    @Test
    void aNonceIssuedOnOneNodeIsConsumedOnceOnAnother() {
        ClusterNonces onA = new ClusterNonces(a.hazelcast(), Duration.ofSeconds(120));
        ClusterNonces onB = new ClusterNonces(b.hazelcast(), Duration.ofSeconds(120));
        String n = onA.issue("sid-1");
        assertFalse(onB.consume("sid-2", n), "a nonce belongs to its session");
        assertTrue(onB.consume("sid-1", n));
        assertFalse(onA.consume("sid-1", n), "single use, cluster-wide");
        assertTrue(onA.firstUse("confirm:attempt-9", Duration.ofMinutes(10)));
        assertFalse(onB.firstUse("confirm:attempt-9", Duration.ofMinutes(10)));
        String m = onA.issue("sid-3");
        onB.forget("sid-3");
        assertFalse(onA.consume("sid-3", m), "logout forgets the session's nonces");
    }

    @Test
    void aSessionOpenedOnOneNodeIsKnownToAnotherAndEndsEverywhere() {
        ClusterLoginSessions onA = sessions(a);
        ClusterLoginSessions onB = sessions(b);
        LoginSession s = onA.open("8001234", "desk-1", false);
        LoginSession seen = onB.touch(s.token()).orElseThrow();
        assertEquals(s.id(), seen.id());
        assertEquals("desk-1", seen.device());
        assertTrue(onA.touch("not-a-token").isEmpty());
        onB.open("8001234", "laptop", false);
        onA.closeAll("8001234");
        assertTrue(onB.touch(s.token()).isEmpty());
        assertTrue(a.hazelcast().getMap("gmgate.cosign.sessions").keySet().stream().noneMatch(k -> k.equals(s.token())),
                "the bearer token itself is never a key");
    }

    @Test
    void aLogoutRacingWithRequestsOnAnotherNodeStaysALogout() throws Exception {
        ClusterLoginSessions onA = sessions(a);
        ClusterLoginSessions onB = sessions(b);
        for (int round = 0; round < 20; round++) {
            LoginSession s = onA.open("8001234", "desk-" + round, false);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread toucher = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50; i++) {
                    onB.touch(s.token());
                }
            });
            toucher.start();
            go.countDown();
            onA.close(s.token());
            toucher.join(30_000);
            assertTrue(onA.touch(s.token()).isEmpty() && onB.touch(s.token()).isEmpty(),
                    "round " + round + ": a touch in flight must not bring the session back after logout");
        }
    }
}
