package io.gmgate.attacks;

import static io.gmgate.attacks.SessionAttackKit.anonymous;
import static io.gmgate.attacks.SessionAttackKit.connect;
import static io.gmgate.attacks.SessionAttackKit.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "Sessions and resumption": a one-way handshake on the enrolment port (:8090), then the same session id
 * offered on the trading port (:9000) with no certificate. It resumed, and the front accepted
 * LOGIN of any account. Now the trading listener never sees the enrolment listener's sessions and
 * refuses to resume a session without a verified chain: the attacker gets a full handshake, which
 * demands the certificate he does not have.
 */
class ResumptionAcrossListenersAttackTest {

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
    void aOneWayEnrolmentSessionDoesNotOpenTheTradingPort() throws Exception {
        GmgateClient victim = SessionAttackKit.enrolled(site, "8300001");
        SessionState oneWay;
        try (TlcpSocket enrolment = connect(site.enrolmentPort(), anonymous(site, Optional.empty()))) {
            assertTrue(enrolment.engine().isHandshakeComplete(), "anyone gets a one-way session on :8090");
            oneWay = enrolment.engine().session().orElseThrow();
        }
        int headersBefore = site.front().headers().size();
        double refusedBefore = counter(site, "gmgate.handshakes", "listener", "trading", "result", "TLS-108");

        TlcpException refused = assertThrows(TlcpException.class,
                () -> connect(site.tradingPort(), anonymous(site, Optional.of(oneWay))).close(),
                "the enrolment session must not resume on the trading port");
        assertEquals("TLS-107", refused.errorCode().code(), refused.getMessage());
        assertTrue(refused.getMessage().contains("handshake_failure"), "the full handshake demanded a certificate: "
                + refused.getMessage());
        // the trading listener's own session map never held the id: a full handshake, refused with TLS-108
        SessionAttackKit.await("the trading listener counts the refusal",
                () -> counter(site, "gmgate.handshakes", "listener", "trading", "result", "TLS-108") > refusedBefore,
                java.time.Duration.ofSeconds(5));
        assertEquals(headersBefore, site.front().headers().size(), "nothing reached the front");

        SessionAttackKit.aLegitimateTraderStillTrades(victim, "8300001");
    }

    @Test
    void theEnrolmentPortStillResumesItsOwnSessions() throws Exception {
        SessionState own;
        try (TlcpSocket first = connect(site.enrolmentPort(), anonymous(site, Optional.empty()))) {
            own = first.engine().session().orElseThrow();
            assertFalse(first.engine().resumed());
        }
        try (TlcpSocket again = connect(site.enrolmentPort(), anonymous(site, Optional.of(own)))) {
            assertTrue(again.engine().resumed(), "resumption itself still works where the session was made");
        }
    }
}
