package io.gmgate.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Decides whether a peer's certificates are acceptable: the policy half of certificate checking
 * (the engine is the mechanism). Throws {@link TlcpException} with a CERT- code and the alert to send.
 */
public interface CertificatePolicy {

    /**
     * @param sign      the peer's sign certificate
     * @param enc       its encryption certificate, when sent
     * @param others    the rest of the list (CA certificates), in the order received
     * @param now       the engine's clock
     */
    void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc, List<X509CertificateHolder> others,
               Instant now);

    /** The names of acceptable CAs for CertificateRequest; may be empty. */
    default List<org.bouncycastle.asn1.x500.X500Name> acceptedIssuers() {
        return List.of();
    }
}
