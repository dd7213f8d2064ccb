package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.RevocationReason;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.interop.TestPki;

/**
 * The certificate gate against a real key store and CA tables in PostgreSQL: a certificate passes
 * only as the CA recorded it for its (issuer, serial), the account comes from that record, and a
 * revoked record or a key that is not ACTIVE refuses it whatever serial the presenter chose.
 */
class CertificateGateTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();
    @TempDir
    static Path dir;

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(0x5a000);
    private static final TestPki CA = TestPki.create("gate test");

    private static SoftCipherCard card;
    private static PgShardStore keys;
    private static PgCaStore certificates;
    private static CertificateGate gate;

    /** An enrolled trader: his co-signed key record and the certificate the CA recorded for it. */
    record Enrolled(KeyRecord key, X509CertificateHolder cert) {
    }

    @BeforeAll
    static void start() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.gmc"), "gate test passphrase".toCharArray());
        keys = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
        certificates = new PgCaStore(PG.dataSource());
        gate = new CertificateGate(PG.dataSource(), keys, false);
    }

    @AfterAll
    static void stop() {
        card.close();
    }

    private static Enrolled enrol(String account, String cn) {
        keys.createAccount(account, "t");
        keys.createDevice(account, "pc", "t");
        KeyGenBinding b = new KeyGenBinding("s", account, "pc");
        KeyRecord key = keys.storeKey(account, "pc", Purpose.SIGN, TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share(), "t");
        X509CertificateHolder cert = issue(CA.rootCertificate().getSubject(), nextSerial(), cn, key.publicKey(), CA.root().key());
        certificates.insertOne(new PgCaStore.Row(cert.getSerialNumber(), "SIGN", account, "pc", "req-" + account, null, null,
                cert, null, Instant.now()));
        keys.linkCertificate(key.keyId(), cert.getIssuer().toString(), PgCaStore.hex(cert.getSerialNumber()), "t");
        return new Enrolled(key, cert);
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    static X509CertificateHolder issue(X500Name issuer, BigInteger serial, String cn, Sm2PublicKey key, Sm2PrivateKey by) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + cn + ",O=gmgate test"), GmPem.toSpki(key));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            return b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(TestPki.jcaKey(by)));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refusal(X509CertificateHolder cert) {
        return assertThrows(TlcpException.class, () -> gate.check(cert)).errorCode().code();
    }

    @Test
    void theCertificateAsRecordedPassesAndTheAccountComesFromTheRecordNotTheSubject() {
        Enrolled t = enrol("8300001", "someone else entirely");
        gate.check(t.cert());
        assertEquals(Optional.of("8300001"), gate.account(t.cert()));
        assertEquals(Optional.empty(), gate.account(t.cert()),
                "the listener reads the handshake's binding once, on its event loop, and never queries itself");
    }

    @Test
    void aCertificateReissuedUnderTheSameIssuerAndSerialIsNotTheRecord() {
        Enrolled t = enrol("8300002", "8300002");
        Enrolled victim = enrol("8300003", "8300003");
        // the CA's own key signing another TBS with the victim's serial: only the recorded bytes count
        X509CertificateHolder twin = issue(CA.rootCertificate().getSubject(), victim.cert().getSerialNumber(), "8300003",
                t.key().publicKey(), CA.root().key());
        assertEquals("CERT-127", refusal(twin));
        assertEquals(Optional.empty(), gate.account(twin));
    }

    @Test
    void aLeafForgedUnderATradersCertificateWithTheVictimsSerialIsRefused() {
        Enrolled attacker = enrol("8300004", "8300004");
        Enrolled victim = enrol("8300005", "8300005");
        Sm2PrivateKey own = Sm2PrivateKey.generate();
        X509CertificateHolder withVictimsSerial = issue(attacker.cert().getSubject(), victim.cert().getSerialNumber(), "8300005",
                own.publicKey(), own);
        X509CertificateHolder withOwnSerial = issue(attacker.cert().getSubject(), attacker.cert().getSerialNumber(), "8300005",
                own.publicKey(), own);
        assertEquals("CERT-127", refusal(withVictimsSerial));
        assertEquals("CERT-127", refusal(withOwnSerial));
    }

    @Test
    void aRevokedCertificateIsRefusedAndSoIsAForgeryCarryingItsSerialAfterwards() {
        Enrolled t = enrol("8300006", "8300006");
        certificates.revoke(t.cert().getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        assertEquals("CERT-103", refusal(t.cert()));
        X509CertificateHolder other = issue(t.cert().getSubject(), t.cert().getSerialNumber(), "8300006",
                t.key().publicKey(), Sm2PrivateKey.generate());
        assertEquals("CERT-127", refusal(other), "the serial is the revoked certificate's: its key records are not the forgery's");
    }

    @Test
    void aLockedKeyRecordRefusesItsCertificate() {
        Enrolled t = enrol("8300007", "8300007");
        keys.changeState(t.key().keyId(), t.key().rowVersion(), KeyState.LOCKED, "officer", "lost laptop");
        assertEquals("CERT-103", refusal(t.cert()));
    }

    @Test
    void aWholeKeyCertificateWithoutKeyRecordPassesOnlyWhenTheSiteAcceptsThem() {
        Sm2PrivateKey whole = Sm2PrivateKey.generate();
        X509CertificateHolder token = issue(CA.rootCertificate().getSubject(), nextSerial(), "8300008", whole.publicKey(),
                CA.root().key());
        assertEquals("CERT-127", refusal(token));
        CertificateGate lenient = new CertificateGate(PG.dataSource(), keys, true);
        lenient.check(token);
        assertEquals(Optional.of("8300008"), lenient.account(token), "no record: the external CA's subject is all there is");

        // a serial the CA recorded for a whole-key certificate of its own is not lent to another issuer's
        X509CertificateHolder recorded = issue(CA.rootCertificate().getSubject(), nextSerial(), "gateway", whole.publicKey(),
                CA.root().key());
        certificates.insertOne(new PgCaStore.Row(recorded.getSerialNumber(), "GATEWAY_SIGN", "gateway:gw", "", "req-gw", null,
                null, recorded, null, Instant.now()));
        X509CertificateHolder borrowed = issue(new X500Name("CN=another CA,O=gmgate test"), recorded.getSerialNumber(), "8300008",
                whole.publicKey(), whole);
        assertEquals("CERT-127", assertThrows(TlcpException.class, () -> lenient.check(borrowed)).errorCode().code());
    }

    @Test
    void theCosignTableBindsCertificatesOfOtherCas() throws Exception {
        Enrolled t = enrol("8300009", "8300009");
        try (var c = PG.dataSource().getConnection(); var st = c.prepareStatement("DELETE FROM ca_certificates WHERE serial = ?")) {
            st.setString(1, PgCaStore.hex(t.cert().getSerialNumber()));
            st.executeUpdate();
        }
        X509CertificateHolder enc = issue(CA.rootCertificate().getSubject(), nextSerial(), "8300009",
                Sm2PrivateKey.generate().publicKey(), CA.root().key());
        try (var c = PG.dataSource().getConnection(); var st = c.prepareStatement("INSERT INTO cosign_certificates (sign_serial,"
                + " enc_serial, account, issuer, sign_der, enc_der, chain_der, not_before, not_after) VALUES (?, ?, ?, ?, ?, ?, ?, now(), now())")) {
            st.setString(1, PgCaStore.hex(t.cert().getSerialNumber()));
            st.setString(2, PgCaStore.hex(enc.getSerialNumber()));
            st.setString(3, "8300009-from-cmp");
            st.setString(4, "ca-primary");
            st.setBytes(5, t.cert().getEncoded());
            st.setBytes(6, enc.getEncoded());
            st.setArray(7, c.createArrayOf("bytea", new Object[0]));
            st.executeUpdate();
        }
        gate.check(t.cert());
        assertEquals(Optional.of("8300009-from-cmp"), gate.account(t.cert()));
        X509CertificateHolder twin = issue(CA.rootCertificate().getSubject(), t.cert().getSerialNumber(), "8300009",
                t.key().publicKey(), CA.root().key());
        assertEquals("CERT-127", refusal(twin));
    }

    @Test
    void anIntermediateOnItsIssuersStoredCrlIsRefusedAndACrlSignedByAnotherKeyIsIgnored() throws Exception {
        X509CertificateHolder intermediate = issue(CA.rootCertificate().getSubject(), nextSerial(), "listed intermediate",
                Sm2PrivateKey.generate().publicKey(), CA.root().key());
        Instant now = Instant.now();
        certificates.saveCrl(certificates.nextCrlNumber(), CA.rootCertificate().getSubject().toString(), now, now.plusSeconds(3600),
                crl(intermediate, Sm2PrivateKey.generate(), now).getEncoded());
        new CaCrlIssuerStatus(certificates, java.time.Clock.systemUTC()).check(intermediate, CA.rootCertificate(), now);

        certificates.saveCrl(certificates.nextCrlNumber(), CA.rootCertificate().getSubject().toString(), now, now.plusSeconds(3600),
                crl(intermediate, CA.root().key(), now).getEncoded());
        TlcpException e = assertThrows(TlcpException.class, () -> new CaCrlIssuerStatus(certificates, java.time.Clock.systemUTC())
                .check(intermediate, CA.rootCertificate(), now));
        assertEquals(TlcpErrors.ISSUER_REVOKED, e.errorCode());
    }

    private static org.bouncycastle.cert.X509CRLHolder crl(X509CertificateHolder revoked, Sm2PrivateKey by, Instant now)
            throws OperatorCreationException {
        org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(CA.rootCertificate().getSubject(),
                Date.from(now.minusSeconds(60)));
        b.addCRLEntry(revoked.getSerialNumber(), Date.from(now.minusSeconds(60)), org.bouncycastle.asn1.x509.CRLReason.cACompromise);
        return b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(TestPki.jcaKey(by)));
    }

    @Test
    void aCertificateIssuedThroughACmpLineIsNamedByTheCosignRecordNotTheRasName() throws Exception {
        keys.createAccount("8300011", "t");
        keys.createDevice("8300011", "pc", "t");
        KeyGenBinding b = new KeyGenBinding("s", "8300011", "pc");
        KeyRecord key = keys.storeKey("8300011", "pc", Purpose.SIGN, TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share(), "t");
        X509CertificateHolder cert = issue(CA.rootCertificate().getSubject(), nextSerial(), "8300011", key.publicKey(), CA.root().key());
        // the CMP server's CA row names the RA that asked; the cosign record names the trader who enrolled
        certificates.insertOne(new PgCaStore.Row(cert.getSerialNumber(), "SIGN", "gmgate-ra", "", "req-cmp", null, null, cert, null,
                Instant.now()));
        keys.linkCertificate(key.keyId(), "ca-primary", PgCaStore.hex(cert.getSerialNumber()), "t");
        X509CertificateHolder enc = issue(CA.rootCertificate().getSubject(), nextSerial(), "8300011",
                Sm2PrivateKey.generate().publicKey(), CA.root().key());
        try (var c = PG.dataSource().getConnection(); var st = c.prepareStatement("INSERT INTO cosign_certificates (sign_serial,"
                + " enc_serial, account, issuer, sign_der, enc_der, chain_der, not_before, not_after) VALUES (?, ?, ?, ?, ?, ?, ?, now(), now())")) {
            st.setString(1, PgCaStore.hex(cert.getSerialNumber()));
            st.setString(2, PgCaStore.hex(enc.getSerialNumber()));
            st.setString(3, "8300011");
            st.setString(4, "ca-primary");
            st.setBytes(5, cert.getEncoded());
            st.setBytes(6, enc.getEncoded());
            st.setArray(7, c.createArrayOf("bytea", new Object[0]));
            st.executeUpdate();
        }
        gate.check(cert);
        assertEquals(Optional.of("8300011"), gate.account(cert));
        certificates.revoke(cert.getSerialNumber(), RevocationReason.KEY_COMPROMISE, Instant.now());
        assertEquals("CERT-103", refusal(cert), "the CA's revocation counts although the cosign record names the account");
    }

    /** A second device of t's certificate (design §4 step 7, re-share): its own key record, linked to the same serial. */
    private static KeyRecord secondDevice(Enrolled t, String account) {
        keys.createDevice(account, "laptop", "t");
        KeyGenBinding b = new KeyGenBinding("s2", account, "laptop");
        KeyRecord key = keys.storeKey(account, "laptop", Purpose.SIGN, TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share(), "t");
        keys.linkCertificate(key.keyId(), t.cert().getIssuer().toString(), PgCaStore.hex(t.cert().getSerialNumber()), "t");
        return key;
    }

    private static KeyState stateOf(java.util.List<KeyRecord> records, long keyId) {
        return records.stream().filter(k -> k.keyId() == keyId).findFirst().orElseThrow().state();
    }

    @Test
    void aResumptionReCheckAnswersFromItsOwnCheckAndStillRefusesALockedDeviceWhileAnotherIsActive() {
        Enrolled desk = enrol("8300021", "8300021");
        KeyRecord laptop = secondDevice(desk, "8300021");
        keys.changeState(desk.key().keyId(), desk.key().rowVersion(), KeyState.LOCKED, "officer", "desk reported lost");
        // as the engine does on resumption: the certificate policy's check, then the re-check, on one thread
        gate.check(desk.cert());
        TlcpException e = assertThrows(TlcpException.class,
                () -> gate.checkKeyRecord(desk.cert(), OptionalLong.of(desk.key().keyId())));
        assertEquals("CERT-103", e.errorCode().code(), "the desk's session does not come back through the laptop's record");
        gate.check(desk.cert());
        gate.checkKeyRecord(desk.cert(), OptionalLong.of(laptop.keyId()));
        assertEquals(Optional.of("8300021"), gate.account(desk.cert()), "the laptop's session resumes");
    }

    @Test
    void theKeyRecordsACheckReadAreTakenOnceAndOnlyOnItsOwnThread() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        CertificateGate gate = new CertificateGate(PG.dataSource(), keys, false, now::get, io.gmgate.gateway.LoginPhases.NONE);
        Enrolled desk = enrol("8300022", "8300022");
        secondDevice(desk, "8300022");
        gate.check(desk.cert());
        keys.changeState(desk.key().keyId(), desk.key().rowVersion(), KeyState.LOCKED, "officer", "desk reported lost");
        assertEquals(KeyState.ACTIVE, stateOf(gate.keyRecords(desk.cert()), desk.key().keyId()),
                "the handshake's next question is answered from the check it was admitted on");
        assertEquals(KeyState.LOCKED, stateOf(gate.keyRecords(desk.cert()), desk.key().keyId()),
                "taken once: after it the store is read again and the lock shows");
        gate.check(desk.cert());
        keys.unlock("8300022", "pc", io.gmgate.keystore.LockReason.OPERATOR, "officer", "found");
        now.addAndGet(CertificateGate.JUST_CHECKED_NANOS);
        assertEquals(KeyState.ACTIVE, stateOf(gate.keyRecords(desk.cert()), desk.key().keyId()),
                "after a second the check's reading is not used: the store is read again");

        Enrolled other = enrol("8300023", "8300023");
        KeyRecord otherLaptop = secondDevice(other, "8300023");
        Thread elsewhere = new Thread(() -> CertificateGateTest.gate.check(other.cert()));
        elsewhere.start();
        elsewhere.join(30_000);
        assertFalse(elsewhere.isAlive());
        keys.changeState(other.key().keyId(), other.key().rowVersion(), KeyState.LOCKED, "officer", "desk reported lost");
        TlcpException e = assertThrows(TlcpException.class,
                () -> CertificateGateTest.gate.checkKeyRecord(other.cert(), OptionalLong.of(other.key().keyId())));
        assertEquals("CERT-103", e.errorCode().code(), "another thread's check is not this handshake's: the re-check reads the store");
        CertificateGateTest.gate.checkKeyRecord(other.cert(), OptionalLong.of(otherLaptop.keyId()));
    }

    @Test
    void theSessionBindingTakesTheRecordsOfTheCertificatesPendingCheckEvenFromAnotherWorkerAndNeverAfterTheListenerAsked()
            throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        CertificateGate gate = new CertificateGate(PG.dataSource(), keys, false, now::get, io.gmgate.gateway.LoginPhases.NONE);
        Enrolled desk = enrol("8300024", "8300024");
        secondDevice(desk, "8300024");
        Thread certificateWorker = new Thread(() -> gate.check(desk.cert()));
        certificateWorker.start();
        certificateWorker.join(30_000);
        assertFalse(certificateWorker.isAlive());
        keys.changeState(desk.key().keyId(), desk.key().rowVersion(), KeyState.LOCKED, "officer", "desk reported lost");
        assertEquals(KeyState.ACTIVE, stateOf(gate.sessionKeyRecords(desk.cert()), desk.key().keyId()),
                "the Finished's worker binds on what the Certificate's worker read for this handshake");
        now.addAndGet(CertificateGate.JUST_CHECKED_NANOS);
        assertEquals(KeyState.LOCKED, stateOf(gate.sessionKeyRecords(desk.cert()), desk.key().keyId()), "too old: read again");
        now.set(0);
        assertEquals(Optional.of("8300024"), gate.account(desk.cert()));
        assertEquals(KeyState.LOCKED, stateOf(gate.sessionKeyRecords(desk.cert()), desk.key().keyId()),
                "once the listener took the binding nothing of the check is left to use");
    }
}
