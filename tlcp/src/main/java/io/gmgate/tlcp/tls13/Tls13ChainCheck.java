package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * Checks a peer's TLS 1.3 certificate chain: every certificate SM2-with-SM3 signed by the next one
 * or by a configured root (RFC 5280 §6.1 reduced to what a closed GM PKI needs), valid at the
 * engine's clock, CA certificates marked as such, and a leaf whose key may sign (RFC 8446 §4.4.2.2).
 * Failures are TLS alerts, so BouncyCastle sends the right one to the peer (RFC 8446 §6.2).
 */
final class Tls13ChainCheck {

    static final int MAX_CHAIN = 8;

    private final List<X509CertificateHolder> roots;

    Tls13ChainCheck(List<X509CertificateHolder> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The verified chain as sent (leaf first); throws a TLS alert otherwise. */
    List<X509CertificateHolder> verify(Certificate peer, Instant now) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "the peer sent no certificate");
        }
        if (peer.getLength() > MAX_CHAIN) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "chain of " + peer.getLength() + " certificates exceeds " + MAX_CHAIN);
        }
        List<X509CertificateHolder> chain = new ArrayList<>(peer.getLength());
        for (int i = 0; i < peer.getLength(); i++) {
            try {
                chain.add(new X509CertificateHolder(peer.getCertificateAt(i).getEncoded()));
            } catch (IOException | RuntimeException e) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate " + i + " does not parse", e);
            }
        }
        Date at = Date.from(now);
        for (int i = 0; i < chain.size(); i++) {
            X509CertificateHolder c = chain.get(i);
            if (!c.isValidOn(at)) {
                throw new TlsFatalAlert(AlertDescription.certificate_expired,
                        c.getSubject() + " is valid from " + c.getNotBefore().toInstant() + " to "
                                + c.getNotAfter().toInstant() + ", not at " + now);
            }
            if (i > 0 && !isCa(c)) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, c.getSubject() + " issues certificates but is no CA");
            }
        }
        X509CertificateHolder leaf = chain.get(0);
        KeyUsage ku = KeyUsage.fromExtensions(leaf.getExtensions());
        if (ku != null && !ku.hasUsages(KeyUsage.digitalSignature)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, leaf.getSubject() + " has no digitalSignature key usage");
        }
        publicKey(leaf, AlertDescription.unsupported_certificate);
        for (int i = 0; i < chain.size(); i++) {
            X509CertificateHolder c = chain.get(i);
            X509CertificateHolder root = trustedRootOf(c);
            if (root != null) {
                if (!root.equals(c)) {
                    requireSignedBy(c, root);
                }
                return List.copyOf(chain);
            }
            if (i + 1 == chain.size()) {
                break;
            }
            X509CertificateHolder issuer = chain.get(i + 1);
            if (!issuer.getSubject().equals(c.getIssuer())) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate,
                        "chain out of order: " + c.getSubject() + " is not issued by " + issuer.getSubject());
            }
            requireSignedBy(c, issuer);
        }
        throw new TlsFatalAlert(AlertDescription.unknown_ca,
                "chain of " + leaf.getSubject() + " does not reach a configured root (" + roots.size() + " roots)");
    }

    private X509CertificateHolder trustedRootOf(X509CertificateHolder c) {
        for (X509CertificateHolder r : roots) {
            if (r.equals(c) || r.getSubject().equals(c.getIssuer()) && signedBy(c, r)) {
                return r;
            }
        }
        return null;
    }

    private static boolean isCa(X509CertificateHolder c) {
        BasicConstraints bc = BasicConstraints.fromExtensions(c.getExtensions());
        return bc != null && bc.isCA();
    }

    private static void requireSignedBy(X509CertificateHolder c, X509CertificateHolder issuer) throws TlsFatalAlert {
        if (!signedBy(c, issuer)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "signature of " + c.getSubject() + " does not verify under " + issuer.getSubject());
        }
    }

    /** SM2-with-SM3 under the default ID (GM/T 0015 certificates); any other algorithm is refused. */
    private static boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(c.getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            Sm2PublicKey key = GmPem.publicKey(issuer);
            byte[] tbs = c.toASN1Structure().getTBSCertificate().getEncoded();
            return Sm2Signer.verify(key, tbs, Sm2Signature.fromDer(c.getSignature()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Sm2PublicKey publicKey(X509CertificateHolder c, short alert) throws TlsFatalAlert {
        try {
            return GmPem.publicKey(c);
        } catch (GmCryptoException e) {
            throw new TlsFatalAlert(alert, c.getSubject() + " does not carry an SM2 key", e);
        }
    }

}
