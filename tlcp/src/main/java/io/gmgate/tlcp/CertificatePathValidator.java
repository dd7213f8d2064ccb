package io.gmgate.tlcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.path.CertPath;
import org.bouncycastle.cert.path.CertPathValidation;
import org.bouncycastle.cert.path.CertPathValidationResult;
import org.bouncycastle.cert.path.validations.BasicConstraintsValidation;
import org.bouncycastle.cert.path.validations.KeyUsageValidation;

import io.gmgate.crypto.EncodedCertificate;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * The one certification-path validator of gmgate (RFC 5280 §6), for TLCP and TLS 1.3 alike. A path
 * is built from the leaf to a configured trust anchor through configured intermediates and the
 * certificates the peer sent; the peer's certificates are only candidates, and a path counts only
 * when every rule holds on BouncyCastle's path machinery: each signature SM2-with-SM3 under the
 * issuer's key (default ID), every certificate valid at the injected instant, every issuer
 * basicConstraints cA=TRUE and keyUsage keyCertSign, path length constraints, the status of each
 * intermediate, and no critical extension this code does not process. A leaf can therefore never
 * issue: it carries no basicConstraints (design §4 step 5, §13).
 *
 * <p>The leaf's role (sign or enc key usage, the TLCP pair) is the caller's: see
 * {@link X509CertificatePolicy}.
 */
public final class CertificatePathValidator {

    static final int MAX_DEPTH = 8;
    static final int MAX_SENT = 16;
    private static final int MAX_PATHS = 16;
    /** Certificates whose signature is remembered: a large site's terminals, at ~100 bytes each. */
    static final int REMEMBERED_SIGNATURES = 100_000;

    private final List<X509CertificateHolder> anchors;
    private final List<Sm2PublicKey> anchorKeys;
    private final List<X509CertificateHolder> intermediates;
    private final IssuerStatus issuerStatus;
    private final VerifiedSignatures verified = new VerifiedSignatures(REMEMBERED_SIGNATURES);

    public CertificatePathValidator(List<X509CertificateHolder> anchors, List<X509CertificateHolder> intermediates,
                                    IssuerStatus issuerStatus) {
        if (anchors.isEmpty()) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR, "no trust anchors configured");
        }
        this.anchors = List.copyOf(anchors);
        // One key object per anchor for the validator's life: BouncyCastle keeps the WNAF table of a
        // point on the point object, so verifying under the same object skips most of the work.
        try {
            this.anchorKeys = this.anchors.stream().map(GmPem::publicKey).toList();
        } catch (GmCryptoException e) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR,
                    "a trust anchor does not carry an SM2 key: " + e.getMessage());
        }
        this.intermediates = intermediates.stream().filter(c -> !this.anchors.contains(c)).distinct().toList();
        this.issuerStatus = issuerStatus;
    }

    public CertificatePathValidator(List<X509CertificateHolder> anchors) {
        this(anchors, List.of(), IssuerStatus.NONE);
    }

    public List<X509CertificateHolder> anchors() {
        return anchors;
    }

    /**
     * The first path from {@code leaf} to an anchor that passes every rule; otherwise a
     * {@link TlcpException} naming the rule the first candidate path broke (CERT-100 when no path
     * reaches an anchor at all).
     *
     * @param sent the other certificates the peer sent, in any order: candidates, never trusted
     */
    public PathValidation validate(X509CertificateHolder leaf, List<X509CertificateHolder> sent, Instant now) {
        if (sent.size() > MAX_SENT) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.BAD_CERTIFICATE,
                    "the peer sent " + sent.size() + " extra certificates, more than " + MAX_SENT);
        }
        List<X509CertificateHolder> candidates = new ArrayList<>(intermediates);
        for (X509CertificateHolder c : sent) {
            if (!candidates.contains(c) && !anchors.contains(c) && !c.equals(leaf)) {
                candidates.add(c);
            }
        }
        List<List<X509CertificateHolder>> paths = new ArrayList<>();
        List<X509CertificateHolder> start = new ArrayList<>();
        start.add(leaf);
        build(start, candidates, paths);
        if (paths.isEmpty()) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.UNKNOWN_CA,
                    "no path from " + leaf.getSubject() + " (issuer " + leaf.getIssuer() + ") to one of the "
                            + anchors.size() + " configured trust anchors");
        }
        TlcpException first = null;
        for (List<X509CertificateHolder> path : paths) {
            try {
                check(path, now);
                return new PathValidation(path);
            } catch (TlcpException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** Depth-first, anchors before intermediates, bounded in depth and in paths found. */
    private void build(List<X509CertificateHolder> path, List<X509CertificateHolder> candidates,
                       List<List<X509CertificateHolder>> found) {
        X509CertificateHolder current = path.get(path.size() - 1);
        for (X509CertificateHolder a : anchors) {
            if (found.size() < MAX_PATHS && a.getSubject().equals(current.getIssuer())) {
                List<X509CertificateHolder> done = new ArrayList<>(path);
                done.add(a);
                found.add(done);
            }
        }
        if (path.size() >= MAX_DEPTH) {
            return;
        }
        for (X509CertificateHolder c : candidates) {
            if (found.size() < MAX_PATHS && c.getSubject().equals(current.getIssuer()) && !path.contains(c)) {
                path.add(c);
                build(path, candidates, found);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Runs the rules over one candidate path (leaf first, anchor last); throws on the first broken rule. */
    private void check(List<X509CertificateHolder> path, Instant now) {
        CertPathValidation[] rules = {
            new PathRules.Signatures(this::signedBy),
            new PathRules.Validity(now),
            new BasicConstraintsValidation(true),
            new KeyUsageValidation(true),
            new PathRules.IntermediateStatus(issuerStatus, now),
            new PathRules.KnownExtensions(),
        };
        CertPathValidationResult result = new CertPath(path.toArray(X509CertificateHolder[]::new)).validate(rules);
        if (!result.isValid()) {
            throw PathRules.refusal(result, path, now);
        }
    }

    /** Whether {@code c} verifies under {@code issuer}'s key, remembering successes. */
    boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        Sm2PublicKey key;
        int a = anchors.indexOf(issuer);
        try {
            key = a >= 0 ? anchorKeys.get(a) : GmPem.publicKey(issuer);
        } catch (GmCryptoException | IllegalArgumentException e) {
            return false;
        }
        ByteBuffer seen;
        try {
            seen = VerifiedSignatures.key(key.encoded(), EncodedCertificate.sm3(c));
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

    /** How many certificate signatures this validator remembers as verified. */
    int rememberedSignatures() {
        return (int) verified.size();
    }

    /** SM2-with-SM3 under the default ID (GM/T 0015 certificates); any other algorithm is refused. */
    static boolean signedBy(X509CertificateHolder c, Sm2PublicKey key) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(c.getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            byte[] tbs = c.toASN1Structure().getTBSCertificate().getEncoded();
            return Sm2Signer.verify(key, Sm2Signer.defaultId(), tbs, Sm2Signature.fromDer(c.getSignature()));
        } catch (IOException | GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean crlSignedBy(X509CRLHolder crl, X509CertificateHolder issuer) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(crl.toASN1Structure().getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            byte[] tbs = crl.toASN1Structure().getTBSCertList().getEncoded();
            return Sm2Signer.verify(GmPem.publicKey(issuer), Sm2Signer.defaultId(), tbs,
                    Sm2Signature.fromDer(crl.toASN1Structure().getSignature().getOctets()));
        } catch (IOException | GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }
}
