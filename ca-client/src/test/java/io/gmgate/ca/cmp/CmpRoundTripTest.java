package io.gmgate.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CaSchema;
import io.gmgate.ca.CertificateProfile;
import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.CoSigner;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssueRequest;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.RevocationReason;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.ca.TestCsrs;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

/** gmgate's CMP client against gmgate's CMP server in front of the embedded CA, over real HTTP on 127.0.0.1. */
class CmpRoundTripTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static final byte[] RA_SECRET = "ra secret for gmgate".getBytes(StandardCharsets.UTF_8);
    static final byte[] CLIENT_SECRET = "plain client secret".getBytes(StandardCharsets.UTF_8);

    static SoftCipherCard card;
    static EmbeddedCa ca;
    static PgCaStore store;
    static CmpHttpListener listener;

    @BeforeAll
    static void setUp() throws IOException {
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        store = new PgCaStore(PG.dataSource());
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, store, Clock.systemUTC());
        CmpServer server = new CmpServer(ca, new CmpServerSettings(List.of(
                new CmpServerSettings.Client(CmpProtection.Mac.sm3("gmgate-ra", RA_SECRET), true),
                new CmpServerSettings.Client(new CmpProtection.Mac("plain-client", CLIENT_SECRET,
                        PasswordBasedMac.Algorithm.SHA256, 1000), false)), true), Clock.systemUTC());
        listener = CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/.well-known/cmp");
    }

    @AfterAll
    static void tearDown() {
        if (listener != null) {
            listener.close();
        }
        card.close();
    }

    static CmpCertificateAuthority overCmp(CmpProtection protection) {
        return CmpCertificateAuthority.overHttp(CmpCaConfig.of("embedded-over-cmp", listener.uri(),
                ca.issuingCertificate().getSubject(), protection).withIssuerCertificate(ca.issuingCertificate()), Clock.systemUTC());
    }

    static CmpCertificateAuthority asRa() {
        return overCmp(CmpProtection.Mac.sm3("gmgate-ra", RA_SECRET));
    }

    static CmpClient client(CmpProtection protection) {
        return new CmpClient(CmpClient.Settings.of("embedded-over-cmp", ca.issuingCertificate().getSubject(), protection)
                .withServerCertificate(ca.issuingCertificate()),
                new HttpCmpTransport("embedded-over-cmp", listener.uri(), java.time.Duration.ofSeconds(3),
                        java.time.Duration.ofSeconds(10)), Clock.systemUTC());
    }

    @Test
    void coSignedRequestAndCaGeneratedEncryptionKeyMakeADoubleCertificate() {
        CoSigner sign = CoSigner.enrol("alice");
        IssuedCertificates issued = asRa().issue(IssueRequest.of("alice", "dev1", TestCsrs.csr(sign, "alice"), null));

        assertEquals(sign.publicKey(), GmPem.publicKey(issued.sign()));
        assertEquals("CN=alice", issued.sign().getSubject().toString());
        assertEquals(issued.sign().getSubject(), issued.enc().getSubject());
        assertTrue(Sm2Verification.verify(issued.enc(), GmPem.publicKey(ca.issuingCertificate())));
        assertNotNull(issued.encKey(), "the CA-generated key comes back enveloped");
        Sm2PrivateKey encKey = issued.encKey().open(sign::decrypt);  // one two-party decryption (design §14)
        assertEquals(GmPem.publicKey(issued.enc()), encKey.publicKey());
        encKey.destroy();
        assertEquals(List.of(ca.issuingCertificate(), ca.rootCertificate()), issued.chain());
        assertEquals("embedded-over-cmp", issued.servedBy());
        assertEquals("SIGN", store.bySerial(issued.signSerial()).orElseThrow().kind());
        assertEquals("ENCRYPTION", store.bySerial(issued.encSerial()).orElseThrow().kind());
        assertEquals("gmgate-ra", store.bySerial(issued.signSerial()).orElseThrow().account());
        for (var leaf : List.of(issued.sign(), issued.enc())) {  // a trader's role only (design §4 step 5)
            var eku = org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(leaf.getExtensions());
            assertEquals(1, eku.getUsages().length);
            assertTrue(eku.hasKeyPurposeId(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
        }
    }

    @Test
    void twoPartyEncryptionKeyIsCertifiedAsSupplied() {
        CoSigner sign = CoSigner.enrol("bob");
        CoSigner enc = CoSigner.enrol("bob-enc");
        IssuedCertificates issued = asRa().issue(IssueRequest.of("bob", "dev1", TestCsrs.csr(sign, "bob"), enc.publicKey()));
        assertEquals(enc.publicKey(), GmPem.publicKey(issued.enc()));
        assertNull(issued.encKey());
    }

    @Test
    void repeatingARequestRepeatsTheTransactionsAndIssuesNothingNew() {
        Sm2SignKey sign = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssueRequest request = IssueRequest.of("carol", "dev1", TestCsrs.csr(sign, "carol"), null);
        IssuedCertificates first = asRa().issue(request);
        int rows = store.byAccount("gmgate-ra").size();
        IssuedCertificates again = asRa().issue(request);
        assertEquals(first.signSerial(), again.signSerial());
        assertEquals(first.encSerial(), again.encSerial());
        assertEquals(first.encKey(), again.encKey());
        assertEquals(rows, store.byAccount("gmgate-ra").size());
    }

    @Test
    void kurRenewsAndRrRevokesIntoTheCrl() throws IOException {
        Sm2SignKey oldKey = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssuedCertificates old = asRa().issue(IssueRequest.of("dave", "dev1", TestCsrs.csr(oldKey, "dave"), null));
        Sm2SignKey newKey = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssuedCertificates renewed = asRa().renew(old.signSerial(), IssueRequest.of("dave", "dev1", TestCsrs.csr(newKey, "dave"), null));
        assertEquals(newKey.publicKey(), GmPem.publicKey(renewed.sign()));
        assertEquals(old.signSerial(), store.bySerial(renewed.signSerial()).orElseThrow().replaces());

        asRa().revoke(old.signSerial(), RevocationReason.SUPERSEDED);
        CertificateStatus status = ca.status(old.signSerial());
        assertEquals(CertificateStatus.State.REVOKED, status.state());
        assertEquals(RevocationReason.SUPERSEDED, status.reason());
        assertNotNull(new X509CRLHolder(ca.crlDer()).getRevokedCertificate(old.signSerial()));

        CaException again = assertThrows(CaException.class, () -> asRa().renew(old.signSerial(),
                IssueRequest.of("dave", "dev1", TestCsrs.csr(newKey, "dave"), null)));
        assertEquals(CaErrors.CA_REFUSED, again.errorCode());
        assertTrue(again.getMessage().contains("certRevoked"), again.getMessage());
    }

    @Test
    void signatureProtectedIrWithSignedPossessionAndASignedAnswer() {
        Sm2PrivateKey erinKey = Sm2PrivateKey.generate();
        IssuedCertificates erin = asRa().issue(IssueRequest.of("erin", "dev1",
                TestCsrs.csr(Sm2SignKey.of(erinKey), "erin"), null));
        CmpProtection bySignature = new CmpProtection.Signature(Sm2SignKey.of(erinKey), erin.sign(), List.of());
        Sm2SignKey second = Sm2SignKey.of(Sm2PrivateKey.generate());

        CmpClient.Enrolment e = client(bySignature).request(CertRequest.signed(CertRequest.Kind.IR, new X500Name("CN=erin,OU=second"),
                second, CertificateProfile.SIGN), CmpMessages.nonce());
        assertEquals(second.publicKey(), GmPem.publicKey(e.certificate()));
        assertEquals("gmgate-ra", store.bySerial(e.certificate().getSerialNumber()).orElseThrow().account(),
                "a signed request acts for the client that enrolled the signer");
    }

    @Test
    void aWrongSecretOrUnknownReferenceIsABadProtectionError() {
        byte[] csr = TestCsrs.csr(Sm2SignKey.of(Sm2PrivateKey.generate()), "mallory");
        for (CmpProtection wrong : List.of(CmpProtection.Mac.sm3("gmgate-ra", "guess".getBytes(StandardCharsets.UTF_8)),
                CmpProtection.Mac.sm3("nobody", RA_SECRET))) {
            CaException e = assertThrows(CaException.class, () -> overCmp(wrong).issue(IssueRequest.of("m", "d", csr, null)));
            assertEquals(CaErrors.CA_PROTOCOL, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("badMessageCheck"), e.getMessage());
        }
    }

    @Test
    void onlyAnRaMayVouchForPossession() {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        CmpProtection plain = new CmpProtection.Mac("plain-client", CLIENT_SECRET, PasswordBasedMac.Algorithm.SHA256, 1000);
        CaException e = assertThrows(CaException.class, () -> client(plain).request(CertRequest.raVerified(CertRequest.Kind.IR,
                new X500Name("CN=frank"), key.publicKey(), CertificateProfile.SIGN), CmpMessages.nonce()));
        assertEquals(CaErrors.CA_REFUSED, e.errorCode());
        assertTrue(e.getMessage().contains("badPOP"), e.getMessage());
    }

    @Test
    void aClientCannotUpdateOrRevokeAnotherClientsCertificate() {
        IssuedCertificates ras = asRa().issue(IssueRequest.of("gina", "dev1",
                TestCsrs.csr(Sm2SignKey.of(Sm2PrivateKey.generate()), "gina"), null));
        CmpProtection plain = new CmpProtection.Mac("plain-client", CLIENT_SECRET, PasswordBasedMac.Algorithm.SHA256, 1000);
        Sm2SignKey next = Sm2SignKey.of(Sm2PrivateKey.generate());
        CaException kur = assertThrows(CaException.class, () -> client(plain).request(CertRequest.signed(CertRequest.Kind.CR,
                null, next, CertificateProfile.SIGN).replacing(ras.signSerial()), CmpMessages.nonce()));
        assertTrue(kur.getMessage().contains("notAuthorized"), kur.getMessage());
        CaException rr = assertThrows(CaException.class, () -> client(plain).revoke(ca.issuingCertificate().getSubject(),
                ras.signSerial(), RevocationReason.KEY_COMPROMISE));
        assertTrue(rr.getMessage().contains("notAuthorized"), rr.getMessage());
        assertEquals(CertificateStatus.State.GOOD, ca.status(ras.signSerial()).state());
    }

    @Test
    void whatIsNotCmpGetsAPlainAnswer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> garbage = http.send(HttpRequest.newBuilder(listener.uri()).header("Content-Type", "application/pkixcmp")
                .POST(HttpRequest.BodyPublishers.ofByteArray("hello".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, garbage.statusCode());
        PKIMessage error = PKIMessage.getInstance(garbage.body());
        assertEquals(PKIBody.TYPE_ERROR, error.getBody().getType());
        assertTrue(CmpMessages.describe(ErrorMsgContent.getInstance(error.getBody().getContent()).getPKIStatusInfo())
                .contains("badDataFormat"));
        assertEquals(405, http.send(HttpRequest.newBuilder(listener.uri()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(415, http.send(HttpRequest.newBuilder(listener.uri()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(413, http.send(HttpRequest.newBuilder(URI.create(listener.uri().toString())).header("Content-Type",
                "application/pkixcmp").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[CmpHttpListener.MAX_REQUEST_BYTES + 1]))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
