package io.gmgate.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Binds a server's session to the key record (device) that authenticated the client, and re-checks
 * that record whenever the session is resumed: a resumed session skips the certificate exchange, not
 * the question "may this device still trade?". The engine calls it on the thread that feeds the
 * handshake; implementations may ask a database.
 */
public interface SessionBinding {

    /** No key records: every verified chain binds to "", and nothing more is re-checked than the chain. */
    SessionBinding NONE = new SessionBinding() {
        @Override
        public Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify) {
            return Optional.of("");
        }

        @Override
        public void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now) {
        }
    };

    /**
     * After a full handshake that verified {@code chain} (sign certificate first) and the client's
     * CertificateVerify signature: the key record to bind the session to, or empty when the device
     * cannot be told, in which case the session is not offered for resumption.
     */
    Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify);

    /** Before resuming: throws {@link TlcpException} (a CERT- code) when the bound record may no longer trade. */
    void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now);
}
