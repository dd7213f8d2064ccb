package io.gmgate.gateway;

import java.util.Optional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Names the trading account behind a verified client certificate, for the PROXY v2 header. The
 * default reads the subject's CN (the embedded CA's template puts the account there); the app may
 * wire a lookup by certificate serial in the key store instead.
 */
@FunctionalInterface
public interface IdentityResolver {

    Optional<String> account(X509CertificateHolder signCertificate);

    IdentityResolver SUBJECT_CN = cert -> commonName(cert);

    static Optional<String> commonName(X509CertificateHolder cert) {
        RDN[] cn = cert.getSubject().getRDNs(BCStyle.CN);
        return cn.length == 0 ? Optional.empty() : Optional.of(IETFUtils.valueToString(cn[0].getFirst().getValue()));
    }
}
