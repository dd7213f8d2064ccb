package io.gmgate.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm3;

/** Builds and signs one certificate of a {@link CertificateProfile} (RFC 5280 §4, GM/T 0015). */
public final class CertificateMaker {

    private CertificateMaker() {
    }

    /** What goes into one certificate; altNames and crlUrl may be empty/null. */
    public record Spec(CertificateProfile profile, BigInteger serial, X500Name subject, Sm2PublicKey subjectKey,
                       Instant notBefore, Instant notAfter, List<GeneralName> altNames, String crlUrl) {
        public Spec {
            altNames = altNames == null ? List.of() : List.copyOf(altNames);
            if (!notAfter.isAfter(notBefore)) {
                throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
            }
        }
    }

    /** Signs spec with the issuer's key; a self-signed root passes its own name and signer. */
    public static X509CertificateHolder make(Spec spec, X500Name issuer, Sm2SignKey issuerSigner) {
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, spec.serial(),
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), spec.subject(), GmPem.toSpki(spec.subjectKey()));
            CertificateProfile p = spec.profile();
            if (p.isCa()) {
                b.addExtension(Extension.basicConstraints, true,
                        p.pathLength() < 0 ? new BasicConstraints(true) : new BasicConstraints(p.pathLength()));
            }
            b.addExtension(Extension.keyUsage, true, p.keyUsage());
            if (p.role().isPresent()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(p.role().get()));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spec.subjectKey())));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId(issuerSigner.publicKey())));
            if (!spec.altNames().isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(spec.altNames().toArray(new GeneralName[0])));
            }
            if (spec.crlUrl() != null && !p.equals(CertificateProfile.ROOT_CA)) {
                GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spec.crlUrl()));
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(where), null, null)}));
            }
            return b.build(new Sm2ContentSigner(issuerSigner));
        } catch (IOException e) {
            throw new IllegalStateException("certificate extension encoding failed", e);
        }
    }

    /** Key identifier: the leftmost 160 bits of SM3 over the public key bits (RFC 5280 §4.2.1.2 allows any method). */
    public static byte[] keyId(Sm2PublicKey key) {
        return Arrays.copyOf(Sm3.digest(key.encoded()), 20);
    }
}
