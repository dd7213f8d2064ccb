package io.gmgate.tlcp;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * The default policy: every certificate SM2-with-SM3 signed by the next one up or by a configured
 * root (RFC 5280 §6.1, reduced to what a closed GM PKI needs), all valid now, the sign certificate
 * allowed to sign and the encryption certificate allowed to encipher or agree keys (GM/T 0015),
 * and the revocation hook satisfied.
 */
public final class X509CertificatePolicy implements CertificatePolicy {

    private static final int MAX_DEPTH = 8;
    /** Certificates whose signature is remembered: a large site's terminals, at ~100 bytes each. */
    static final int REMEMBERED_SIGNATURES = 100_000;

    private final List<X509CertificateHolder> roots;
    private final List<Sm2PublicKey> rootKeys;
    private final RevocationCheck revocation;
    private final boolean requireEnc;
    private final VerifiedSignatures verified = new VerifiedSignatures(REMEMBERED_SIGNATURES);

    /**
     * @param requireEnc whether the peer must present an encryption certificate (a server always
     *                   must; a client only in the ECDHE suites)
     */
    public X509CertificatePolicy(List<X509CertificateHolder> roots, RevocationCheck revocation, boolean requireEnc) {
        if (roots.isEmpty()) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR, "no trust roots configured");
        }
        this.roots = List.copyOf(roots);
        // One key object per root for the policy's life: BouncyCastle keeps the WNAF table of a
        // point on the point object, so verifying under the same object skips most of the work.
        try {
            this.rootKeys = this.roots.stream().map(GmPem::publicKey).toList();
        } catch (GmCryptoException e) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR,
                    "a trust root does not carry an SM2 key: " + e.getMessage());
        }
        this.revocation = revocation;
        this.requireEnc = requireEnc;
    }

    @Override
    public List<X500Name> acceptedIssuers() {
        return roots.stream().map(X509CertificateHolder::getSubject).toList();
    }

    @Override
    public void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc, List<X509CertificateHolder> others,
                      Instant now) {
        if (requireEnc && enc.isEmpty()) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_MISSING, Alert.BAD_CERTIFICATE,
                    "no encryption certificate after the sign certificate " + sign.getSubject());
        }
        chain(sign, others, now);
        usage(sign, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, "sign");
        if (enc.isPresent()) {
            chain(enc.get(), others, now);
            usage(enc.get(), KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, "encryption");
        }
        revocation.check(sign);
    }

    private void chain(X509CertificateHolder leaf, List<X509CertificateHolder> others, Instant now) {
        X509CertificateHolder current = leaf;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            valid(current, now);
            for (int i = 0; i < roots.size(); i++) {
                X509CertificateHolder root = roots.get(i);
                if (root.getSubject().equals(current.getIssuer()) && verifiedBy(current, rootKeys.get(i))) {
                    valid(root, now);
                    return;
                }
            }
            X509CertificateHolder issuer = null;
            for (X509CertificateHolder c : others) {
                if (c.getSubject().equals(current.getIssuer()) && !c.equals(current) && verifiedBy(current, c)) {
                    issuer = c;
                    break;
                }
            }
            if (issuer == null) {
                throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.UNKNOWN_CA,
                        "no trusted issuer for " + current.getSubject() + " (issuer " + current.getIssuer() + ")");
            }
            current = issuer;
        }
        throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.BAD_CERTIFICATE,
                "chain of " + leaf.getSubject() + " longer than " + MAX_DEPTH);
    }

    private static void valid(X509CertificateHolder c, Instant now) {
        if (!c.isValidOn(Date.from(now))) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_EXPIRED, Alert.CERTIFICATE_EXPIRED,
                    c.getSubject() + " is valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant()
                            + ", not at " + now);
        }
    }

    private boolean verifiedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        try {
            return verifiedBy(c, GmPem.publicKey(issuer));
        } catch (GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    /** {@link #signedBy(X509CertificateHolder, Sm2PublicKey)}, remembering successes. */
    private boolean verifiedBy(X509CertificateHolder c, Sm2PublicKey key) {
        java.nio.ByteBuffer seen;
        try {
            seen = VerifiedSignatures.key(key.encoded(), c.getEncoded());
        } catch (IOException e) {
            return false;
        }
        if (verified.contains(seen)) {
            return true;
        }
        boolean good = signedBy(c, key);
        if (good) {
            verified.add(seen);
        }
        return good;
    }

    /** How many certificate signatures this policy remembers as verified. */
    int rememberedSignatures() {
        return verified.size();
    }

    static boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        try {
            return signedBy(c, GmPem.publicKey(issuer));
        } catch (GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean signedBy(X509CertificateHolder c, Sm2PublicKey key) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(c.getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            byte[] tbs = c.toASN1Structure().getTBSCertificate().getEncoded();
            return Sm2Signer.verify(key, Sm2Signer.DEFAULT_ID, tbs, Sm2Signature.fromDer(c.getSignature()));
        } catch (IOException | GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void usage(X509CertificateHolder c, int anyOf, String role) {
        KeyUsage ku = KeyUsage.fromExtensions(c.getExtensions());
        if (ku != null && !anyBit(ku, anyOf)) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_USAGE, Alert.UNSUPPORTED_CERTIFICATE,
                    c.getSubject() + " is presented as the " + role + " certificate but its key usage does not allow it");
        }
    }

    private static boolean anyBit(KeyUsage ku, int anyOf) {
        for (int bit : new int[] {KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment,
                KeyUsage.dataEncipherment, KeyUsage.keyAgreement}) {
            if ((anyOf & bit) != 0 && ku.hasUsages(bit)) {
                return true;
            }
        }
        return false;
    }
}
