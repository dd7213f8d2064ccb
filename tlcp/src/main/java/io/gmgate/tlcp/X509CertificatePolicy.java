package io.gmgate.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The default policy, for TLCP and TLS 1.3 alike: each leaf's path passes the
 * {@link CertificatePathValidator} (RFC 5280 §6), the sign certificate may sign (digitalSignature)
 * and the encryption certificate may encipher or agree keys (GM/T 0015), a double certificate comes
 * sign first and from one issuing CA, and the revocation hook (the CA's record, the key state) is
 * satisfied. A sign-only chain (GmSSL clients, TLS 1.3) is accepted when the peer need not send an
 * encryption certificate (design §13) — with the same issuer rules.
 */
public final class X509CertificatePolicy implements CertificatePolicy {

    private static final int ENC_USAGE = KeyUsage.keyEncipherment | KeyUsage.keyAgreement;

    private final CertificatePathValidator paths;
    private final RevocationCheck revocation;
    private final boolean requireEnc;

    /**
     * @param requireEnc whether the peer must present an encryption certificate (a server always
     *                   must; a client only in the ECDHE suites)
     */
    public X509CertificatePolicy(List<X509CertificateHolder> roots, RevocationCheck revocation, boolean requireEnc) {
        this(new CertificatePathValidator(roots), revocation, requireEnc);
    }

    public X509CertificatePolicy(CertificatePathValidator paths, RevocationCheck revocation, boolean requireEnc) {
        this.paths = paths;
        this.revocation = revocation;
        this.requireEnc = requireEnc;
    }

    /** The path validator's signature check, which remembers the signatures it verified. */
    GatewayIdentity.SignatureCheck signatures() {
        return paths::signedBy;
    }

    @Override
    public List<X500Name> acceptedIssuers() {
        return paths.anchors().stream().map(X509CertificateHolder::getSubject).toList();
    }

    @Override
    public void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc, List<X509CertificateHolder> others,
                      Instant now) {
        if (requireEnc && enc.isEmpty()) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_MISSING, Alert.BAD_CERTIFICATE,
                    "no encryption certificate after the sign certificate " + sign.getSubject());
        }
        enc.ifPresent(e -> order(sign, e));
        PathValidation signPath = paths.validate(sign, others, now);
        usage(sign, KeyUsage.digitalSignature, "sign");
        if (enc.isPresent()) {
            PathValidation encPath = paths.validate(enc.get(), others, now);
            usage(enc.get(), ENC_USAGE, "encryption");
            if (!encPath.issuer().equals(signPath.issuer())) {
                throw new TlcpException(TlcpErrors.PAIR_ISSUERS_DIFFER, Alert.BAD_CERTIFICATE,
                        "sign certificate " + sign.getSubject() + " is issued by " + signPath.issuer().getSubject()
                                + " (serial " + signPath.issuer().getSerialNumber().toString(16) + "), encryption certificate by "
                                + encPath.issuer().getSubject() + " (serial " + encPath.issuer().getSerialNumber().toString(16) + ")");
            }
        }
        revocation.check(sign);
    }

    /** How many certificate signatures the validator remembers as verified. */
    int rememberedSignatures() {
        return paths.rememberedSignatures();
    }

    /** GB/T 38636-2020 §6.4.5.3: sign certificate first, encryption certificate second. */
    private static void order(X509CertificateHolder first, X509CertificateHolder second) {
        KeyUsage a = KeyUsage.fromExtensions(first.getExtensions());
        KeyUsage b = KeyUsage.fromExtensions(second.getExtensions());
        if (a != null && b != null && !a.hasUsages(KeyUsage.digitalSignature) && any(a, ENC_USAGE)
                && b.hasUsages(KeyUsage.digitalSignature)) {
            throw new TlcpException(TlcpErrors.PAIR_SWAPPED, Alert.BAD_CERTIFICATE,
                    "the peer sent its encryption certificate " + first.getSubject() + " (serial "
                            + first.getSerialNumber().toString(16) + ") where the sign certificate belongs");
        }
    }

    private static void usage(X509CertificateHolder c, int anyOf, String role) {
        KeyUsage ku = KeyUsage.fromExtensions(c.getExtensions());
        if (ku != null && !any(ku, anyOf)) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_USAGE, Alert.UNSUPPORTED_CERTIFICATE,
                    c.getSubject() + " (serial " + c.getSerialNumber().toString(16) + ") is presented as the " + role
                            + " certificate but its key usage does not allow it");
        }
    }

    private static boolean any(KeyUsage ku, int anyOf) {
        for (int bit : new int[] {KeyUsage.digitalSignature, KeyUsage.keyEncipherment, KeyUsage.keyAgreement}) {
            if ((anyOf & bit) != 0 && ku.hasUsages(bit)) {
                return true;
            }
        }
        return false;
    }
}
