package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.interop.TestPki;

/** The chain check with remembered signatures: remembering a good certificate changes no decision. */
class X509CertificatePolicyTest {

    private static final TestPki TRADERS = TestPki.create("traders");
    private static final TestPki IMPOSTOR = TestPki.create("traders"); // same CA name, another key

    @Test
    void aCertificateSeenBeforeIsAcceptedWithoutBeingRememberedTwice() {
        X509CertificatePolicy policy = new X509CertificatePolicy(List.of(TRADERS.rootCertificate()), RevocationCheck.NONE, true);
        TestPki.DoubleCert trader = TRADERS.issueDouble("8001234");
        Instant now = Instant.now();
        policy.check(trader.sign().certificate(), Optional.of(trader.enc().certificate()), List.of(), now);
        assertEquals(2, policy.rememberedSignatures());
        policy.check(trader.sign().certificate(), Optional.of(trader.enc().certificate()), List.of(), now);
        assertEquals(2, policy.rememberedSignatures());
    }

    @Test
    void anImpostorUnderTheSameCaNameIsRefusedAfterTheGenuineCertificateWasRemembered() {
        X509CertificatePolicy policy = new X509CertificatePolicy(List.of(TRADERS.rootCertificate()), RevocationCheck.NONE, false);
        TestPki.DoubleCert genuine = TRADERS.issueDouble("8001234");
        TestPki.DoubleCert impostor = IMPOSTOR.issueDouble("8001234");
        policy.check(genuine.sign().certificate(), Optional.empty(), List.of(), Instant.now());
        TlcpException e = assertThrows(TlcpException.class,
                () -> policy.check(impostor.sign().certificate(), Optional.empty(), List.of(), Instant.now()));
        assertEquals(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, e.errorCode());
        assertEquals(1, policy.rememberedSignatures());
    }

    @Test
    void aRememberedCertificateStillExpires() {
        X509CertificatePolicy policy = new X509CertificatePolicy(List.of(TRADERS.rootCertificate()), RevocationCheck.NONE, false);
        TestPki.DoubleCert trader = TRADERS.issueDouble("8001235");
        policy.check(trader.sign().certificate(), Optional.empty(), List.of(), Instant.now());
        Instant later = trader.sign().certificate().getNotAfter().toInstant().plusSeconds(1);
        TlcpException e = assertThrows(TlcpException.class,
                () -> policy.check(trader.sign().certificate(), Optional.empty(), List.of(), later));
        assertEquals(TlcpErrors.PEER_CERTIFICATE_EXPIRED, e.errorCode());
    }

    @Test
    void aRememberedCertificateIsStillAskedAboutRevocation() {
        TestPki.DoubleCert trader = TRADERS.issueDouble("8001236");
        boolean[] revoked = {false};
        X509CertificatePolicy policy = new X509CertificatePolicy(List.of(TRADERS.rootCertificate()), c -> {
            if (revoked[0]) {
                throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, Alert.CERTIFICATE_REVOKED, "revoked");
            }
        }, false);
        policy.check(trader.sign().certificate(), Optional.empty(), List.of(), Instant.now());
        revoked[0] = true;
        TlcpException e = assertThrows(TlcpException.class,
                () -> policy.check(trader.sign().certificate(), Optional.empty(), List.of(), Instant.now()));
        assertEquals(TlcpErrors.PEER_CERTIFICATE_REVOKED, e.errorCode());
    }
}
