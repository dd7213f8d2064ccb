package io.gmgate.ca;

import java.math.BigInteger;

/**
 * A certificate authority as gmgate uses it (design §7): issue and renew SM2 double certificates,
 * revoke, query status, and (where it has one) the CRL. Implementations: {@code EmbeddedCa}, the CMP
 * client for external CAs, and {@code FailoverCertificateAuthority} over several of them.
 *
 * <p>Calls may block on the network or the database; callers on an event loop run them on a worker.
 * Every failure is a {@link CaException} with a {@code CA-} or {@code CERT-2xx} code.
 */
public interface CertificateAuthority {

    /** Instance name for logs, errors and the "served by" record, e.g. "ca-primary". */
    String name();

    /**
     * Issues a sign certificate for the request's PKCS#10 key (whose self-signature is checked with
     * the default ID) and an encryption certificate: for the supplied encryption key, or for a key
     * pair the CA generates and returns enveloped to the sign key. Repeating a request with the same
     * {@link IssueRequest#requestId()} returns the same certificates where the CA can tell.
     */
    IssuedCertificates issue(IssueRequest request);

    /** Issues the replacement of the certificates whose sign certificate has serial {@code oldSignSerial}. */
    IssuedCertificates renew(BigInteger oldSignSerial, IssueRequest request);

    void revoke(BigInteger serial, RevocationReason reason);

    CertificateStatus status(BigInteger serial);

    /** The account a certificate was issued to, where this CA can tell (renewal checks it before handing out a code). */
    default java.util.Optional<String> account(BigInteger serial) {
        return java.util.Optional.empty();
    }

    /** The current CRL (DER), freshly signed if the last one is stale; CA-109 if this CA has none. */
    default byte[] crlDer() {
        throw new CaException(CaErrors.UNSUPPORTED, "[CA " + name() + "] does not publish a CRL through gmgate");
    }
}
