package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.crypto.GmRandom;
import io.gmgate.error.GmgateException;
import io.gmgate.session.ClusterSessionCache;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "The cluster": a plain Hazelcast member joined the cluster, read the session map and injected a
 * session with a master secret of its choice, which then resumed without a certificate. Now the
 * cluster's name needs the site's secret, and what the map holds is sealed under the card.
 */
class ForeignClusterMemberAttackTest {

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void aPlainMemberThatLacksTheSecretDoesNotJoin() throws Exception {
        for (String guess : List.of("gmgate", site.clusterSettings().identity().name())) {
            HazelcastInstance intruder = ClusterAttacks.plainMember(guess, site.cluster().memberAddress());
            try {
                assertEquals(1, intruder.getCluster().getMembers().size(), "a member named '" + guess + "' formed a cluster of its own");
                assertEquals(1, siteMembers(), "the site kept to itself");
                assertTrue(intruder.getMap(ClusterSessionCache.MAP).isEmpty(), "and the intruder sees none of its sessions");
            } finally {
                intruder.shutdown();
            }
        }
        stillServesATerminal();
    }

    @Test
    void aSessionInjectedByAMemberDoesNotResumeAndTheMapGivesNoMasterSecret() throws Exception {
        // the insider: a member that holds the cluster secret (a stolen config file), but not the card
        HazelcastInstance insider = ClusterAttacks.plainMember(site.clusterSettings().identity().hazelcastName(),
                site.cluster().memberAddress());
        try {
            await("the insider joined", () -> siteMembers() == 2);
            // each listener keeps its sessions in a map of its own
            IMap<String, byte[]> sessions = insider.getMap(ClusterSessionCache.MAP + "." + GatewayNode.ENROLMENT);
            IMap<String, byte[]> tradingSessions = insider.getMap(ClusterSessionCache.MAP + "." + GatewayNode.TRADING);

            SessionState legit;
            try (TlcpSocket s = ClusterAttacks.connect(site.enrolmentPort(), ClusterAttacks.anonymousTerminal(site.root()))) {
                legit = s.engine().session().orElseThrow();
            }
            byte[] dumped = sessions.get(legit.idHex());
            assertTrue(dumped != null, "the insider reads the entry");
            assertFalse(contains(dumped, Arrays.copyOf(legit.masterSecret(), 16)), "but it holds no master secret");

            byte[] id = GmRandom.bytes(32);
            SessionState forged = new SessionState(id, CipherSuite.ECC_SM4_GCM_SM3, GmRandom.bytes(48), List.of(), Instant.now());
            // the clear part of an entry is his to write, the sealed master secret only to copy from a real one
            byte[] injected = withClearPart(dumped, forged.toBytesWithoutSecret());
            try (ClusterAttacks.LogTap log = new ClusterAttacks.LogTap(ClusterSessionCache.class)) {
                sessions.set(forged.idHex(), injected);
                try (TlcpSocket s = ClusterAttacks.connect(site.enrolmentPort(),
                        ClusterAttacks.anonymousTerminal(site.root()).resuming(forged))) {
                    assertFalse(s.engine().resumed(), "the injected session did not resume: a full handshake instead");
                }
                assertTrue(log.lines.stream().anyMatch(l -> l.contains("MODE-330")), "refused with a code: " + log.lines);
                assertNull(sessions.get(forged.idHex()), "and dropped from the map");

                tradingSessions.set(forged.idHex(), injected);
                Exception refused = assertThrows(Exception.class, () -> ClusterAttacks.connect(site.tradingPort(),
                        ClusterAttacks.anonymousTerminal(site.root()).resuming(forged)).close(),
                        "the trading port let a terminal in with no certificate on an injected session");
                assertTrue(codeOf(refused).matches("(TLS|CERT)-\\d+"), "a coded refusal: " + refused);

                // a real session whose clear part he rewrites to name a certificate its terminal never showed
                log.lines.clear();
                SessionState claimed = new SessionState(legit.id(), legit.suite(), legit.masterSecret(),
                        List.of(site.root().getEncoded()), legit.created(), legit.listener(), legit.keyRecord());
                sessions.set(legit.idHex(), withClearPart(dumped, claimed.toBytesWithoutSecret()));
                try (TlcpSocket s = ClusterAttacks.connect(site.enrolmentPort(),
                        ClusterAttacks.anonymousTerminal(site.root()).resuming(legit))) {
                    assertFalse(s.engine().resumed(), "the rewritten session did not resume: a full handshake instead");
                }
                assertTrue(log.lines.stream().anyMatch(l -> l.contains("MODE-330")), "refused with a code: " + log.lines);
            }
        } finally {
            insider.shutdown();
        }
        await("the insider left", () -> siteMembers() == 1);
        stillServesATerminal();
    }

    /** {@code entry} (ClusterSessionCache's layout) with its clear part replaced and its sealed part kept. */
    private static byte[] withClearPart(byte[] entry, byte[] clear) {
        int sealedFrom = 5 + ByteBuffer.wrap(entry, 1, 4).getInt();
        return ByteBuffer.allocate(5 + clear.length + entry.length - sealedFrom).put(ClusterSessionCache.ENTRY_FORMAT)
                .putInt(clear.length).put(clear).put(entry, sealedFrom, entry.length - sealedFrom).array();
    }

    /** The node goes on serving: a full handshake, then a resumption from the (sealed) cache. */
    private static void stillServesATerminal() throws Exception {
        SessionState s;
        try (TlcpSocket first = ClusterAttacks.connect(site.enrolmentPort(), ClusterAttacks.anonymousTerminal(site.root()))) {
            s = first.engine().session().orElseThrow();
        }
        try (TlcpSocket again = ClusterAttacks.connect(site.enrolmentPort(), ClusterAttacks.anonymousTerminal(site.root())
                .resuming(s))) {
            assertTrue(again.engine().resumed(), "a session the site sealed itself resumes");
        }
    }

    /** Hazelcast's own member list: Vert.x's node list counts only members that run Vert.x. */
    private static int siteMembers() {
        return site.cluster().hazelcast().getCluster().getMembers().size();
    }

    static String codeOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GmgateException g) {
                return g.errorCode().code();
            }
        }
        return "no code in " + t;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
