package io.gmgate.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateProfile;
import io.gmgate.ca.OpenSsl;
import io.gmgate.ca.RevocationReason;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.ports.ReservedPort;

/**
 * Our CMP client against an independent server: OpenSSL 3's mock CMP server. It cannot issue SM2
 * certificates (design §14), so it returns a certificate made beforehand for the very key we ask for,
 * and the test checks that this is what the client receives after a full, confirmed transaction.
 */
class CmpClientVsOpenSslMockTest {

    static final String REF = "gmgate-ra";
    static final String SECRET = "pre-shared 0penssl secret";
    static final X500Name CA = new X500Name("CN=mock CA");

    @TempDir
    static Path dir;

    static Sm2PrivateKey alice;
    static X509CertificateHolder aliceCert;
    static byte[] aliceCsr;
    static CmpTransport transport;
    static OpenSslCmpMock mock;

    @BeforeAll
    static void startMock() throws IOException {
        assumeTrue(OpenSsl.hasCmp(dir), "openssl has no 'cmp' command (OpenSSL 3 is needed): skipping the CMP interop test");
        alice = Sm2PrivateKey.generate();
        Files.writeString(dir.resolve("alice-key.pem"), GmPem.privateKeyToPem(alice));
        // OpenSSL 3.0 checks a PKCS#10 signature with an empty SM2 ID (design §14), so the p10cr
        // request is made by OpenSSL too; our client forwards it untouched
        Files.writeString(dir.resolve("leaf.ext"), "keyUsage=critical,digitalSignature,nonRepudiation\n");
        for (String[] step : new String[][] {
            {"genpkey", "-algorithm", "SM2", "-out", "ca-key.pem"},
            {"req", "-new", "-x509", "-key", "ca-key.pem", "-subj", "/CN=mock CA", "-days", "2",
                "-sigopt", "distid:1234567812345678", "-out", "ca.pem"},
            {"req", "-new", "-key", "alice-key.pem", "-subj", "/CN=alice", "-outform", "DER", "-out", "alice-csr.der"},
            {"x509", "-req", "-inform", "DER", "-in", "alice-csr.der", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-days", "2",
                "-sigopt", "distid:1234567812345678", "-extfile", "leaf.ext", "-out", "alice.pem"}}) {
            OpenSsl.Result r = OpenSsl.run(dir, step);
            assertEquals(0, r.exit(), String.join(" ", step) + ": " + r.output());
        }
        aliceCsr = Files.readAllBytes(dir.resolve("alice-csr.der"));
        aliceCert = GmPem.certificatesFromPem(Files.readString(dir.resolve("alice.pem"))).get(0);
        mock = OpenSslCmpMock.start(dir, "-srv_ref", REF, "-srv_secret", "pass:" + SECRET, "-rsp_cert", "alice.pem",
                "-accept_raverified");
        transport = transport(mock);
    }

    /*
     * One transport per mock: the mock serves one connection at a time and waits on an idle
     * keep-alive connection, so a second HTTP client would stall behind the first.
     */
    static CmpTransport transport(OpenSslCmpMock server) {
        return new HttpCmpTransport("openssl-mock", URI.create(server.url()), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopMock() {
        if (mock != null) {
            mock.close();
        }
    }

    static CmpClient client(CmpTransport to, CmpProtection protection) {
        return new CmpClient(CmpClient.Settings.of("openssl-mock", CA, protection), to, Clock.systemUTC());
    }

    static CmpProtection.Mac mac(PasswordBasedMac.Algorithm algorithm) {
        return new CmpProtection.Mac(REF, SECRET.getBytes(StandardCharsets.UTF_8), algorithm, 500);
    }

    @Test
    void p10crWithOpenSslsDefaultMacReceivesTheMockCertificate() {
        CmpClient.Enrolment e = client(transport, mac(PasswordBasedMac.Algorithm.SHA256_HMAC_SHA1))
                .p10cr(aliceCsr, CmpMessages.nonce());
        assertEquals(aliceCert, e.certificate(), mock.log());
    }

    /** OpenSSL 3.0 has no HMAC-SM3 for PBM; the refusal must reach the caller in the CA's words. */
    @Test
    void sm3MacIsAcceptedOrRefusedInTheCasWords() {
        try {
            CmpClient.Enrolment e = client(transport, mac(PasswordBasedMac.Algorithm.SM3)).p10cr(aliceCsr, CmpMessages.nonce());
            assertEquals(aliceCert, e.certificate(), mock.log());
        } catch (CaException e) {
            assertEquals(CaErrors.CA_REFUSED, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("unsupported algorithm"), e.getMessage());
        }
    }

    @Test
    void irWithRaVerifiedPossession() {
        CmpClient.Enrolment e = client(transport, mac(PasswordBasedMac.Algorithm.SHA256)).request(
                CertRequest.raVerified(CertRequest.Kind.IR, new X500Name("CN=alice"), alice.publicKey(), CertificateProfile.SIGN),
                CmpMessages.nonce());
        assertEquals(aliceCert, e.certificate(), mock.log());
    }

    @Test
    void crAndKurAreAnsweredAndConfirmed() {
        CmpClient client = client(transport, mac(PasswordBasedMac.Algorithm.SHA256));
        CertRequest cr = CertRequest.raVerified(CertRequest.Kind.CR, new X500Name("CN=alice"), alice.publicKey(),
                CertificateProfile.SIGN);
        assertEquals(aliceCert, client.request(cr, CmpMessages.nonce()).certificate(), mock.log());
        assertEquals(aliceCert, client.request(cr.replacing(aliceCert.getSerialNumber()), CmpMessages.nonce()).certificate(),
                mock.log());
    }

    @Test
    void rrIsGranted() {
        // revoke() returns only when the rp's status is granted; aRejectionCarriesTheCasOwnWords shows it throws otherwise
        assertDoesNotThrow(() -> client(transport, mac(PasswordBasedMac.Algorithm.SHA256)).revoke(aliceCert.getIssuer(),
                aliceCert.getSerialNumber(), RevocationReason.KEY_COMPROMISE), mock.log());
    }

    @Test
    void aWrongSecretIsABadProtectionError() {
        CmpProtection wrong = new CmpProtection.Mac(REF, "not the secret".getBytes(StandardCharsets.UTF_8),
                PasswordBasedMac.Algorithm.SHA256, 500);
        CaException e = assertThrows(CaException.class,
                () -> client(transport, wrong).p10cr(aliceCsr, CmpMessages.nonce()));
        assertEquals(CaErrors.CA_PROTOCOL, e.errorCode(), e.getMessage());
    }

    @Test
    void aClosedPortIsUnreachable() {
        try (ReservedPort nobodyListens = ReservedPort.reserve()) {
            int port = nobodyListens.port();
            CmpClient client = new CmpClient(CmpClient.Settings.of("dead", CA, mac(PasswordBasedMac.Algorithm.SHA256)),
                    new HttpCmpTransport("dead", URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(2),
                            Duration.ofSeconds(5)), Clock.systemUTC());
            CaException e = assertThrows(CaException.class, () -> client.p10cr(aliceCsr, CmpMessages.nonce()));
            assertEquals(CaErrors.CA_UNAVAILABLE, e.errorCode());
            assertTrue(e.getMessage().contains("[CA dead]"), e.getMessage());
        }
    }

    @Test
    void aRejectionCarriesTheCasOwnWords() {
        try (OpenSslCmpMock refusing = OpenSslCmpMock.start(dir, "-srv_ref", REF, "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", "alice.pem", "-pkistatus", "2", "-failure", "9", "-statusstring", "key too weak for policy")) {
            CmpClient toRefusing = client(transport(refusing), mac(PasswordBasedMac.Algorithm.SHA256)); // one transport per mock
            CaException e = assertThrows(CaException.class, () -> toRefusing.p10cr(aliceCsr, CmpMessages.nonce()));
            assertEquals(CaErrors.CA_REFUSED, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("rejection") && e.getMessage().contains("badPOP")
                    && e.getMessage().contains("key too weak for policy"), e.getMessage());

            CaException rr = assertThrows(CaException.class, () -> toRefusing.revoke(aliceCert.getIssuer(),
                    aliceCert.getSerialNumber(), RevocationReason.KEY_COMPROMISE));
            assertEquals(CaErrors.CA_REFUSED, rr.errorCode(), rr.getMessage());
        }
    }

    @Test
    void aWaitingCaIsPolledUntilItAnswers() {
        try (OpenSslCmpMock slow = OpenSslCmpMock.start(dir, "-srv_ref", REF, "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", "alice.pem", "-poll_count", "2", "-check_after", "0")) {
            CmpClient.Enrolment e = client(transport(slow), mac(PasswordBasedMac.Algorithm.SHA256))
                    .p10cr(aliceCsr, CmpMessages.nonce());
            assertEquals(aliceCert, e.certificate(), slow.log());
        }
    }

}
