package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.agent.AgentSettings;
import io.gmgate.agent.LoginUpstream;
import io.gmgate.agent.TerminalAgent;
import io.gmgate.agent.Upstream;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.TlcpCredentials;

/**
 * docs/security.md, "Gateway identity as the terminal sees it" (a): a trader runs a "gateway" with his own real double certificate, its key
 * operations co-signed and co-decrypted through his own cosign session. Before the gateway role
 * and the name were checked, the handshake completed and the victim's terminal sent her password.
 */
class TraderCertificateAsGatewayAttackTest {

    private static ImpostorSite site;
    private static GmgateClient.Session attackerSession;
    private static FakeGatewayServer impostor;

    @BeforeAll
    static void start() throws IOException {
        site = new ImpostorSite();
        GmgateClient attacker = site.client(ImpostorSite.ATTACKER, site.site.enrolmentPort());
        attackerSession = attacker.login(ImpostorSite.ATTACKER_PASSWORD, ImpostorSite.PIN);
        DeviceRecord own = attacker.store().require();
        X509CertificateHolder sign = GmPem.certificateFromDer(own.signChain().get(0));
        X509CertificateHolder enc = GmPem.certificateFromDer(own.encCertificate().orElseThrow());
        impostor = FakeGatewayServer.start(new TlcpCredentials(sign, Optional.of(enc), site.caChain(),
                ImpostorSite.coSigned(attackerSession),
                Optional.of(ImpostorSite.coDecrypting(attackerSession, GmPem.publicKey(enc))), Optional.empty()),
                site.site.root());
    }

    @AfterAll
    static void stop() throws Exception {
        impostor.close();
        attackerSession.close();
        site.close();
    }

    @Test
    void theSdkRefusesTheTraderAsTheGatewayAndNeverSendsThePassword() throws IOException {
        GmgateClient victim = site.client(ImpostorSite.VICTIM, impostor.port());
        GmgateException e = assertThrows(GmgateException.class,
                () -> victim.login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN));
        assertEquals("CERT-140", e.errorCode().code(), e.getMessage());
        assertTrue(e.getMessage().contains("the server is not a gmgate gateway for 127.0.0.1"), e.getMessage());
        assertEquals(0, impostor.handshakes(), "the terminal ends the handshake before its Finished");
        assertFalse(impostor.received().contains(new String(ImpostorSite.VICTIM_PASSWORD)));
        site.victimStillTrades();
    }

    @Test
    void theAgentRefusesItTooAndSaysSoInItsStatus() throws Exception {
        GmgateClient victim = site.client(ImpostorSite.VICTIM, impostor.port());
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(4),
                new LoginUpstream(victim, ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN), Upstream.enrolment(victim),
                Clock.systemUTC());
             Socket legacy = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
            legacy.setSoTimeout(30_000);
            try {
                assertEquals(-1, legacy.getInputStream().read(), "the agent closes a terminal it cannot serve");
            } catch (IOException reset) {
                // closed as well
            }
            assertEquals("CERT-140", handshakeError(agent), "the agent's /status names the refusal");
        }
        assertEquals(0, impostor.handshakes());
        assertFalse(impostor.received().contains(new String(ImpostorSite.VICTIM_PASSWORD)));
    }

    /** The code of the agent's last handshake failure, polled until it shows (at most 20 s). */
    @SuppressWarnings("unchecked")
    static String handshakeError(TerminalAgent agent) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<Object> handshake = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> handshake.updateAndGet(h -> ((Map<String, Object>) agent.statusMap().get("lastError")).get("handshake")) != null);
        } catch (org.awaitility.core.ConditionTimeoutException none) {
            return "none after 20 s";
        }
        return String.valueOf(((Map<String, Object>) handshake.get()).get("code"));
    }
}
