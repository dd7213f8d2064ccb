package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

import io.gmgate.error.ErrorCode;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.TlcpException;

/**
 * Hands a peer's TLS 1.3 certificate list to the same {@link CertificatePolicy} TLCP uses (one
 * path validator, RFC 5280 §6, and on the gateway the certificate gate): the first certificate is
 * the leaf, the rest are candidates for its path. A refusal becomes a TLS alert, so BouncyCastle
 * sends the right one to the peer (RFC 8446 §6.2), and keeps its CERT- code for the logs.
 */
final class Tls13ChainCheck {

    static final int MAX_CHAIN = 8;

    private final CertificatePolicy policy;

    Tls13ChainCheck(CertificatePolicy policy) {
        this.policy = policy;
    }

    /** A refusal of the policy, as the alert BouncyCastle sends; {@link #code()} is the CERT- code. */
    static final class Refused extends TlsFatalAlert {
        private static final long serialVersionUID = 1L;
        private final transient ErrorCode code;

        Refused(short alert, TlcpException cause) {
            super(alert, cause.errorCode().code() + ": " + cause.getMessage(), cause);
            this.code = cause.errorCode();
        }

        ErrorCode code() {
            return code;
        }
    }

    /** The chain as sent (leaf first) once the policy accepted it; throws a TLS alert otherwise. */
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
                chain.add(io.gmgate.crypto.EncodedCertificate.parse(peer.getCertificateAt(i).getEncoded()));
            } catch (IOException | RuntimeException e) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate " + i + " does not parse", e);
            }
        }
        try {
            policy.check(chain.get(0), Optional.empty(), chain.subList(1, chain.size()), now);
        } catch (TlcpException e) {
            throw new Refused((short) e.alert().code, e);
        }
        return List.copyOf(chain);
    }
}
