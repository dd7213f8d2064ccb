package io.gmgate.tlcp;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The hook for what a chain check cannot see: revocation (CRL, the CA's status) and the state of
 * the key record behind a co-signed certificate (ACTIVE, LOCKED, REVOKED). Throws a
 * {@link TlcpException} with a CERT- code to refuse. Runs on a worker thread during the handshake.
 */
@FunctionalInterface
public interface RevocationCheck {

    RevocationCheck NONE = cert -> { };

    void check(X509CertificateHolder signCertificate);
}
