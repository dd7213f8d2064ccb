package io.gmgate.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.CipherCard;

/**
 * The default CA: an SM2 root and issuing CA whose keys stay in the cipher card, issuing GM/T 0015
 * double certificates recorded in PostgreSQL, with revocation and CRLs. Create it once with
 * {@link #init}, then {@link #open} it on every start.
 */
public final class EmbeddedCa implements CertificateAuthority {

    static final String ROOT = "root";
    static final String ISSUING = "issuing";
    private static final int SERIAL_ATTEMPTS = 3;

    private final EmbeddedCaConfig config;
    private final PgCaStore store;
    private final Clock clock;
    private final Sm2SignKey issuingSigner;
    private final X509CertificateHolder root;
    private final X509CertificateHolder issuing;
    private final CrlPublisher crls;

    private EmbeddedCa(EmbeddedCaConfig config, CipherCard card, PgCaStore store, Clock clock,
                       X509CertificateHolder root, X509CertificateHolder issuing) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.root = root;
        this.issuing = issuing;
        this.issuingSigner = Sm2SignKey.onCard(card, config.issuingKeyIndex());
        if (!issuingSigner.publicKey().equals(GmPem.publicKey(issuing))) {
            throw new CaException(CaErrors.CA_NOT_INITIALISED, "[CA " + config.name() + "] card key #"
                    + config.issuingKeyIndex() + " does not match the stored issuing CA certificate");
        }
        this.crls = new CrlPublisher(config, store, clock, issuing, issuingSigner);
    }

    /** Creates the root and issuing CA keys in the card and their certificates (`gmgate ca init`). */
    public static EmbeddedCa init(EmbeddedCaConfig config, CipherCard card, PgCaStore store, Clock clock) {
        if (store.authority(ROOT).isPresent()) {
            throw new IllegalStateException("[CA " + config.name() + "] is already initialised; refusing to replace its root");
        }
        Sm2PublicKey rootKey = card.generateSm2Key(config.rootKeyIndex());
        Sm2PublicKey issuingKey = card.generateSm2Key(config.issuingKeyIndex());
        Sm2SignKey rootSigner = Sm2SignKey.onCard(card, config.rootKeyIndex());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509CertificateHolder root = CertificateMaker.make(new CertificateMaker.Spec(CertificateProfile.ROOT_CA, serial(),
                config.rootSubject(), rootKey, now, now.plus(config.rootValidity()), null, null), config.rootSubject(), rootSigner);
        X509CertificateHolder issuing = CertificateMaker.make(new CertificateMaker.Spec(CertificateProfile.ISSUING_CA, serial(),
                config.issuingSubject(), issuingKey, now, now.plus(config.issuingValidity()), null, null), config.rootSubject(), rootSigner);
        store.saveAuthority(ROOT, config.rootKeyIndex(), root, now);
        store.saveAuthority(ISSUING, config.issuingKeyIndex(), issuing, now);
        return new EmbeddedCa(config, card, store, clock, root, issuing);
    }

    public static EmbeddedCa open(EmbeddedCaConfig config, CipherCard card, PgCaStore store, Clock clock) {
        PgCaStore.Authority root = store.authority(ROOT).orElseThrow(() -> notInitialised(config));
        PgCaStore.Authority issuing = store.authority(ISSUING).orElseThrow(() -> notInitialised(config));
        return new EmbeddedCa(config.withKeyIndexes(root.keyIndex(), issuing.keyIndex()), card, store, clock,
                root.certificate(), issuing.certificate());
    }

    private static CaException notInitialised(EmbeddedCaConfig config) {
        return new CaException(CaErrors.CA_NOT_INITIALISED, "[CA " + config.name() + "] has no root/issuing certificate in the database");
    }

    @Override
    public String name() {
        return config.name();
    }

    public X509CertificateHolder rootCertificate() {
        return root;
    }

    public X509CertificateHolder issuingCertificate() {
        return issuing;
    }

    /** Issuing CA first, then the root. */
    public List<X509CertificateHolder> chain() {
        return List.of(issuing, root);
    }

    @Override
    public IssuedCertificates issue(IssueRequest request) {
        return issue(request, null);
    }

    @Override
    public IssuedCertificates renew(BigInteger oldSignSerial, IssueRequest request) {
        PgCaStore.Row old = store.bySerial(oldSignSerial).orElseThrow(() -> new CaException(CaErrors.UNKNOWN_CERTIFICATE,
                "[CA " + name() + "] no certificate " + PgCaStore.hex(oldSignSerial) + " to renew"));
        if (!old.kind().equals(CertificateProfile.SIGN.name()) || !old.account().equals(request.account())) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name() + "] certificate " + PgCaStore.hex(oldSignSerial)
                    + " is not a sign certificate of account " + request.account());
        }
        rejectIfRevoked(oldSignSerial);
        return issue(request, oldSignSerial);
    }

    private void rejectIfRevoked(BigInteger serial) {
        if (store.status(serial).map(s -> s.state() == CertificateStatus.State.REVOKED).orElse(false)) {
            throw new CaException(CaErrors.CERTIFICATE_REVOKED, "[CA " + name() + "] certificate "
                    + PgCaStore.hex(serial) + " is revoked and cannot be renewed; re-enrol");
        }
    }

    private IssuedCertificates issue(IssueRequest request, BigInteger replaces) {
        Optional<IssuedCertificates> done = previous(request.requestId());
        if (done.isPresent()) {
            return done.get();
        }
        PKCS10CertificationRequest csr = parse(request.csr());
        Sm2PublicKey signKey = Sm2Verification.verifiedKey(csr);
        X500Name subject = config.subjectTemplate().render(Map.of("account", request.account(), "device", request.device()));
        Sm2PublicKey encKey = request.encPublicKey();
        Sm2EnvelopedKey envelope = null;
        if (encKey == null) {
            Sm2PrivateKey generated = Sm2PrivateKey.generate();
            envelope = Sm2EnvelopedKey.seal(generated, signKey);
            encKey = generated.publicKey();
            generated.destroy();
        } else if (encKey.equals(signKey)) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name() + "] the encryption key must differ from the sign key");
        }
        // the CSR chooses nothing but the key: no extension or attribute it asks for (EKU, SAN, CA flag) is copied
        return issuePair(request, false, subject, signKey, encKey, envelope, replaces, List.of());
    }

    /** One certificate asked for over CMP (ir/cr/p10cr/kur): see {@link #issueSingle}. envelope may be null. */
    public record SingleRequest(String requestId, String account, CertificateProfile profile, X500Name subject,
                                Sm2PublicKey key, BigInteger replaces, Sm2EnvelopedKey envelope) {
        public SingleRequest {
            if (profile.isCa() || profile.isGateway()) {
                throw new IllegalArgumentException("a CMP request cannot make a CA or gateway certificate");
            }
        }
    }

    /** A certificate from {@link #issueSingle}, with the enveloped private key when the CA generated it. */
    public record SingleIssued(X509CertificateHolder certificate, Sm2EnvelopedKey envelope, boolean repeated) {
    }

    /**
     * Issues one certificate (the CMP server's ir/cr/p10cr/kur; CMP asks for one key at a time).
     * A request id seen before returns the certificate already issued for it, marked repeated, so
     * that a retried CMP transaction never yields a second certificate.
     */
    public SingleIssued issueSingle(SingleRequest request) {
        List<PgCaStore.Row> rows = store.byRequest(request.requestId());
        if (!rows.isEmpty()) {
            PgCaStore.Row row = rows.get(0);
            return new SingleIssued(row.certificate(),
                    row.envelopedKey() == null ? null : Sm2EnvelopedKey.fromDer(row.envelopedKey()), true);
        }
        if (request.replaces() != null) {
            rejectIfRevoked(request.replaces());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = leafNotAfter(now);
        for (int attempt = 1; attempt <= SERIAL_ATTEMPTS; attempt++) {
            BigInteger serial = serial();
            X509CertificateHolder cert = leaf(request.profile(), serial, request.subject(), request.key(), now, notAfter, List.of());
            boolean stored = store.insertOne(new PgCaStore.Row(serial, request.profile().name(), request.account(), "",
                    request.requestId(), null, request.replaces(), cert,
                    request.envelope() == null ? null : request.envelope().toDer(), now));
            if (stored) {
                return new SingleIssued(cert, request.envelope(), false);
            }
        }
        throw new CaException(CaErrors.CA_STORE, "[CA " + name() + "] no free serial number after " + SERIAL_ATTEMPTS + " attempts");
    }

    /** Signs protocol messages on this CA's behalf (CMP responses) with the issuing key, which stays in the card. */
    public Sm2SignKey issuingSigner() {
        return issuingSigner;
    }

    /** The stored row of a certificate this CA issued, if any. */
    public Optional<PgCaStore.Row> issued(BigInteger serial) {
        return store.bySerial(serial);
    }

    /** Rows issued for a request id (a CMP transaction's certificate, or a double certificate). */
    public List<PgCaStore.Row> issuedFor(String requestId) {
        return store.byRequest(requestId);
    }

    /**
     * The gateway's own TLCP double certificate for keys already in our cipher card (no request to
     * check: the keys never left the card). altNames carry the listener's DNS names or addresses.
     */
    public IssuedCertificates issueGateway(String gatewayName, X500Name subject, Sm2PublicKey signKey, Sm2PublicKey encKey,
                                           List<GeneralName> altNames) {
        if (altNames.isEmpty()) {  // terminals match the name they dialled against the SAN only (RFC 6125, no CN)
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name() + "] gateway " + gatewayName
                    + " needs at least one DNS name or IP address for its subjectAltName");
        }
        IssueRequest request = new IssueRequest(null, "gateway:" + gatewayName, "", new byte[0], encKey);
        return issuePair(request, true, subject, signKey, encKey, null, null, altNames);
    }

    private IssuedCertificates issuePair(IssueRequest request, boolean gateway, X500Name subject, Sm2PublicKey signKey,
                                         Sm2PublicKey encKey, Sm2EnvelopedKey envelope, BigInteger replaces,
                                         List<GeneralName> altNames) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = leafNotAfter(now);
        for (int attempt = 1; attempt <= SERIAL_ATTEMPTS; attempt++) {
            BigInteger signSerial = serial();
            BigInteger encSerial = serial();
            CertificateProfile signProfile = gateway ? CertificateProfile.GATEWAY_SIGN : CertificateProfile.SIGN;
            CertificateProfile encProfile = gateway ? CertificateProfile.GATEWAY_ENCRYPTION : CertificateProfile.ENCRYPTION;
            X509CertificateHolder sign = leaf(signProfile, signSerial, subject, signKey, now, notAfter, altNames);
            X509CertificateHolder enc = leaf(encProfile, encSerial, subject, encKey, now, notAfter, altNames);
            boolean stored = store.insertPair(
                    new PgCaStore.Row(signSerial, signProfile.name(), request.account(), request.device(), request.requestId(),
                            encSerial, replaces, sign, null, now),
                    new PgCaStore.Row(encSerial, encProfile.name(), request.account(), request.device(), request.requestId(),
                            signSerial, replaces, enc, envelope == null ? null : envelope.toDer(), now));
            if (stored) {
                return new IssuedCertificates(sign, enc, envelope, chain(), name());
            }
        }
        throw new CaException(CaErrors.CA_STORE, "[CA " + name() + "] no free serial number after " + SERIAL_ATTEMPTS + " attempts");
    }

    /** A leaf never outlives the issuing CA (RFC 5280 §6.1.3 would reject it). */
    private Instant leafNotAfter(Instant now) {
        Instant notAfter = now.plus(config.leafValidity());
        return notAfter.isAfter(issuing.getNotAfter().toInstant()) ? issuing.getNotAfter().toInstant() : notAfter;
    }

    private X509CertificateHolder leaf(CertificateProfile profile, BigInteger serial, X500Name subject, Sm2PublicKey key,
                                       Instant notBefore, Instant notAfter, List<GeneralName> altNames) {
        return CertificateMaker.make(new CertificateMaker.Spec(profile, serial, subject, key, notBefore, notAfter, altNames,
                config.crlUrl()), issuing.getSubject(), issuingSigner);
    }

    private Optional<IssuedCertificates> previous(String requestId) {
        List<PgCaStore.Row> rows = store.byRequest(requestId);
        PgCaStore.Row sign = rows.stream().filter(r -> r.kind().endsWith("SIGN")).findFirst().orElse(null);
        PgCaStore.Row enc = rows.stream().filter(r -> r.kind().endsWith("ENCRYPTION")).findFirst().orElse(null);
        if (sign == null || enc == null) {
            return Optional.empty();
        }
        Sm2EnvelopedKey envelope = enc.envelopedKey() == null ? null : Sm2EnvelopedKey.fromDer(enc.envelopedKey());
        return Optional.of(new IssuedCertificates(sign.certificate(), enc.certificate(), envelope, chain(), name()));
    }

    @Override
    public void revoke(BigInteger serial, RevocationReason reason) {
        PgCaStore.Row row = store.bySerial(serial).orElseThrow(() -> new CaException(CaErrors.UNKNOWN_CERTIFICATE,
                "[CA " + name() + "] no certificate " + PgCaStore.hex(serial) + " to revoke"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        store.revoke(serial, reason, now);
        if (row.pairSerial() != null) {
            store.revoke(row.pairSerial(), reason, now);  // a double certificate is revoked as a whole
        }
        crls.publish();
    }

    @Override
    public CertificateStatus status(BigInteger serial) {
        return store.status(serial).orElseGet(() -> CertificateStatus.unknown(serial));
    }

    @Override
    public Optional<String> account(BigInteger serial) {
        return store.bySerial(serial).map(PgCaStore.Row::account);
    }

    @Override
    public byte[] crlDer() {
        return crls.current();
    }

    static PKCS10CertificationRequest parse(byte[] der) {
        try {
            return new PKCS10CertificationRequest(der);
        } catch (java.io.IOException | RuntimeException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "certificate request is not a DER PKCS#10 request", e);
        }
    }

    /** 128 random bits, positive and non-zero (RFC 5280 §4.1.2.2: at most 20 octets). */
    static BigInteger serial() {
        byte[] b = GmRandom.bytes(16);
        b[0] = (byte) ((b[0] & 0x7F) | 0x40);
        return new BigInteger(1, b);
    }

    @Override
    public String toString() {
        return "EmbeddedCa[" + name() + ", issuing=" + issuing.getSubject() + "]";
    }
}
