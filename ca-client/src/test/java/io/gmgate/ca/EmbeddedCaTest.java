package io.gmgate.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

class EmbeddedCaTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static SoftCipherCard card;
    static PgCaStore store;
    static EmbeddedCa ca;

    @BeforeAll
    static void setUp() {
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        store = new PgCaStore(PG.dataSource());
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, store, Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    @Test
    void chainVerifiesWithTheDefaultId() {
        X509CertificateHolder root = ca.rootCertificate();
        assertTrue(Sm2Verification.verify(root, GmPem.publicKey(root)));
        assertTrue(Sm2Verification.verify(ca.issuingCertificate(), GmPem.publicKey(root)));
        assertEquals(BasicConstraints.fromExtensions(ca.issuingCertificate().getExtensions()).getPathLenConstraint().intValue(), 0);
    }

    @Test
    void coSignedRequestGetsADoubleCertificateForATwoPartyEncryptionKey() {
        CoSigner sign = CoSigner.enrol("alice");
        CoSigner enc = CoSigner.enrol("alice-enc");
        IssuedCertificates issued = ca.issue(IssueRequest.of("alice", "dev1", TestCsrs.csr(sign, "ignored"), enc.publicKey()));

        assertEquals(sign.publicKey(), GmPem.publicKey(issued.sign()));
        assertEquals(enc.publicKey(), GmPem.publicKey(issued.enc()));
        assertNull(issued.encKey());
        assertEquals("CN=alice,OU=Traders,O=Example Futures,C=CN", issued.sign().getSubject().toString());
        assertEquals("embedded", issued.servedBy());
        assertNotEquals(issued.signSerial(), issued.encSerial());
        for (X509CertificateHolder leaf : new X509CertificateHolder[] {issued.sign(), issued.enc()}) {
            assertTrue(Sm2Verification.verify(leaf, GmPem.publicKey(ca.issuingCertificate())));
            assertNull(leaf.getExtension(Extension.basicConstraints), "leaves carry no basicConstraints (GmSSL)");
        }
        KeyUsage signUsage = KeyUsage.fromExtensions(issued.sign().getExtensions());
        assertTrue(signUsage.hasUsages(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        assertFalse(signUsage.hasUsages(KeyUsage.keyEncipherment));
        KeyUsage encUsage = KeyUsage.fromExtensions(issued.enc().getExtensions());
        assertTrue(encUsage.hasUsages(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
        assertFalse(encUsage.hasUsages(KeyUsage.digitalSignature));
    }

    @Test
    void caGeneratedEncryptionKeyComesEnvelopedToTheSignKeyAndOpensByCoDecryption() {
        CoSigner sign = CoSigner.enrol("bob");
        IssuedCertificates issued = ca.issue(IssueRequest.of("bob", "dev1", TestCsrs.csr(sign, "bob"), null));
        assertNotNull(issued.encKey());
        Sm2EnvelopedKey decoded = Sm2EnvelopedKey.fromDer(issued.encKey().toDer());
        Sm2PrivateKey encKey = decoded.open(sign::decrypt);
        assertEquals(GmPem.publicKey(issued.enc()), encKey.publicKey());
        encKey.destroy();
    }

    @Test
    void repeatingARequestIdReturnsTheSameCertificates() {
        Sm2SignKey sign = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssueRequest request = IssueRequest.of("carol", "dev1", TestCsrs.csr(sign, "carol"), null);
        IssuedCertificates first = ca.issue(request);
        IssuedCertificates again = ca.issue(request);
        assertEquals(first.signSerial(), again.signSerial());
        assertEquals(first.encKey(), again.encKey());
        assertEquals(2, store.byAccount("carol").size());
    }

    @Test
    void badRequestSignatureIsRejected() {
        Sm2SignKey real = Sm2SignKey.of(Sm2PrivateKey.generate());
        Sm2SignKey other = Sm2SignKey.of(Sm2PrivateKey.generate());
        Sm2SignKey liar = new Sm2SignKey() {
            @Override
            public io.gmgate.crypto.Sm2PublicKey publicKey() {
                return real.publicKey();
            }

            @Override
            public io.gmgate.crypto.Sm2Signature signDigest(byte[] e) {
                return other.signDigest(e);
            }
        };
        CaException e = assertThrows(CaException.class,
                () -> ca.issue(IssueRequest.of("mallory", "d", TestCsrs.csr(liar, "mallory"), null)));
        assertEquals(CaErrors.REQUEST_REJECTED, e.errorCode());
    }

    @Test
    void revocationOfTheSignCertificateRevokesThePairAndShowsInTheCrl() throws Exception {
        Sm2SignKey sign = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssuedCertificates issued = ca.issue(IssueRequest.of("dave", "dev1", TestCsrs.csr(sign, "dave"), null));
        assertEquals(CertificateStatus.State.GOOD, ca.status(issued.signSerial()).state());

        ca.revoke(issued.signSerial(), RevocationReason.KEY_COMPROMISE);

        CertificateStatus status = ca.status(issued.signSerial());
        assertEquals(CertificateStatus.State.REVOKED, status.state());
        assertEquals(RevocationReason.KEY_COMPROMISE, status.reason());
        assertEquals(CertificateStatus.State.REVOKED, ca.status(issued.encSerial()).state());
        X509CRLHolder crl = new X509CRLHolder(ca.crlDer());
        assertTrue(crl.isSignatureValid(Sm2Verification.provider(GmPem.publicKey(ca.issuingCertificate()))));
        assertNotNull(crl.getRevokedCertificate(issued.signSerial()));
        assertNotNull(crl.getRevokedCertificate(issued.encSerial()));
        assertEquals(CertificateStatus.State.UNKNOWN, ca.status(java.math.BigInteger.TEN).state());
    }

    @Test
    void reopeningFindsTheSameCa() {
        EmbeddedCa again = EmbeddedCa.open(EmbeddedCaConfig.defaults("Example Futures"), card, store, Clock.systemUTC());
        assertArrayEquals(PgCaStore.encoded(ca.rootCertificate()), PgCaStore.encoded(again.rootCertificate()));
        assertThrows(IllegalStateException.class,
                () -> EmbeddedCa.init(EmbeddedCaConfig.defaults("x"), card, store, Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC)));
    }
}
