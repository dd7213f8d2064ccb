package io.gmgate.tlcp;

import java.time.Instant;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The status of a CA certificate inside a path (RFC 5280 §6.1.3 (a)(3)): whether its issuer has
 * revoked it. The leaf's own status is the {@link RevocationCheck}'s business (the CA's record and
 * the key state); this hook covers the intermediates. Throws {@link TlcpException} with
 * {@link TlcpErrors#ISSUER_REVOKED} to refuse.
 */
@FunctionalInterface
public interface IssuerStatus {

    IssuerStatus NONE = (ca, issuer, now) -> { };

    /**
     * @param ca     an intermediate CA certificate of the path
     * @param issuer the certificate that signed it (already verified)
     */
    void check(X509CertificateHolder ca, X509CertificateHolder issuer, Instant now);
}
