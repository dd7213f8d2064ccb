package io.gmgate.ca.cmp;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * One external CA reached over CMP. caName is the CA's issuing name (recipient of our messages and
 * issuer in oldCertID / rr); issuerCertificate (may be null) lets us check every certificate we get
 * back; serverCertificate (may be null) pins the signer of signature-protected answers.
 */
public record CmpCaConfig(String name, URI url, X500Name caName, CmpProtection protection,
                          X509CertificateHolder issuerCertificate, X509CertificateHolder serverCertificate,
                          Duration connectTimeout, Duration requestTimeout) {

    public CmpCaConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(protection, "protection");
        for (Duration d : new Duration[] {connectTimeout, requestTimeout}) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("[CA " + name + "] CMP timeouts must be within (0, 5 min]: " + d);
            }
        }
    }

    /** Bounded defaults: 3 s to connect, 15 s for a whole answer. */
    public static CmpCaConfig of(String name, URI url, X500Name caName, CmpProtection protection) {
        return new CmpCaConfig(name, url, caName, protection, null, null, Duration.ofSeconds(3), Duration.ofSeconds(15));
    }

    public CmpCaConfig withIssuerCertificate(X509CertificateHolder cert) {
        return new CmpCaConfig(name, url, caName, protection, cert, serverCertificate, connectTimeout, requestTimeout);
    }

    public CmpCaConfig withServerCertificate(X509CertificateHolder cert) {
        return new CmpCaConfig(name, url, caName, protection, issuerCertificate, cert, connectTimeout, requestTimeout);
    }

    public CmpCaConfig withTimeouts(Duration connect, Duration request) {
        return new CmpCaConfig(name, url, caName, protection, issuerCertificate, serverCertificate, connect, request);
    }
}
