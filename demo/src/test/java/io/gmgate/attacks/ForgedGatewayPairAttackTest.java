package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.ca.CertificateMaker;
import io.gmgate.ca.CertificateProfile;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.TlcpCredentials;

/**
 * docs/security.md, "Gateway identity as the terminal sees it" (b): a forged CN=gateway double certificate, carrying the gateway role and the
 * address the terminal dials, from an issuer the terminal must not trust for it: the attacker's own
 * trader certificate (signing through his cosign session; the chain check of the time accepted a
 * leaf as an issuer), or a CA of his own.
 */
class ForgedGatewayPairAttackTest {

    private static ImpostorSite site;

    @BeforeAll
    static void start() throws IOException {
        site = new ImpostorSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    /** A gateway-profile pair for 127.0.0.1 and localhost, signed by issuerKey in the name of issuer. */
    static TlcpCredentials forgedPair(X500Name issuer, Sm2SignKey issuerKey, List<X509CertificateHolder> sentChain) {
        Sm2PrivateKey sign = Sm2PrivateKey.generate();
        Sm2PrivateKey enc = Sm2PrivateKey.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        List<GeneralName> names = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        X500Name subject = new X500Name("CN=gateway,O=gmgate demo futures,C=CN");
        X509CertificateHolder signCert = CertificateMaker.make(new CertificateMaker.Spec(CertificateProfile.GATEWAY_SIGN,
                BigInteger.valueOf(4242), subject, sign.publicKey(), now, now.plusSeconds(86_400), names, null), issuer, issuerKey);
        X509CertificateHolder encCert = CertificateMaker.make(new CertificateMaker.Spec(CertificateProfile.GATEWAY_ENCRYPTION,
                BigInteger.valueOf(4243), subject, enc.publicKey(), now, now.plusSeconds(86_400), names, null), issuer, issuerKey);
        return TlcpCredentials.inMemory(signCert, sign, encCert, enc, sentChain);
    }

    @Test
    void aPairSignedByATradersOwnCertificateIsRefusedAndThePasswordNeverSent() throws IOException {
        GmgateClient attacker = site.client(ImpostorSite.ATTACKER, site.site.enrolmentPort());
        try (GmgateClient.Session own = attacker.login(ImpostorSite.ATTACKER_PASSWORD, ImpostorSite.PIN)) {
            X509CertificateHolder mine = GmPem.certificateFromDer(attacker.store().require().signChain().get(0));
            List<X509CertificateHolder> chain = new java.util.ArrayList<>(List.of(mine));
            chain.addAll(site.caChain());
            TlcpCredentials forged = forgedPair(mine.getSubject(), ImpostorSite.coSigned(own), chain);
            try (FakeGatewayServer impostor = FakeGatewayServer.start(forged, site.site.root())) {
                GmgateException e = assertThrows(GmgateException.class, () -> site.client(ImpostorSite.VICTIM, impostor.port())
                        .login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN));
                // CERT-140 from the terminal's own check; a path validator that already refuses a leaf
                // as an issuer answers first with its own CERT- code
                assertTrue(e.errorCode().code().startsWith("CERT-"), e.getMessage());
                assertEquals(0, impostor.handshakes());
                assertFalse(impostor.received().contains(new String(ImpostorSite.VICTIM_PASSWORD)));
            }
        }
        site.victimStillTrades();
    }

    @Test
    void aPairFromTheAttackersOwnCaIsRefused() throws IOException {
        Sm2PrivateKey rogueKey = Sm2PrivateKey.generate();
        X500Name rogue = site.caChain().get(0).getSubject();  // even under the real issuing CA's name
        TlcpCredentials forged = forgedPair(rogue, Sm2SignKey.of(rogueKey), List.of());
        try (FakeGatewayServer impostor = FakeGatewayServer.start(forged, site.site.root())) {
            GmgateException e = assertThrows(GmgateException.class, () -> site.client(ImpostorSite.VICTIM, impostor.port())
                    .login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN));
            assertTrue(e.errorCode().code().startsWith("CERT-"), e.getMessage());
            assertEquals(0, impostor.handshakes());
            assertFalse(impostor.received().contains(new String(ImpostorSite.VICTIM_PASSWORD)));
        }
        site.victimStillTrades();
    }
}
