package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The server's choices for BouncyCastle's TLS 1.3 state machine (policy apart from mechanism): TLS
 * 1.3 only, TLS_SM4_GCM_SM3 only, key exchange on curveSM2 only, signatures sm2sig_sm3 only
 * (RFC 8998 §2–§3), our SM2 credentials, and client certificates checked by the configured
 * {@link io.gmgate.tlcp.CertificatePolicy} — the same one as TLCP's (path validator, certificate gate).
 */
final class GmTls13Server extends AbstractTlsServer {

    private final Tls13ServerConfig config;
    private final Tls13Signer signer;
    private final Tls13ChainCheck chainCheck;
    private final Tls13Events events;

    GmTls13Server(TlsCrypto crypto, Tls13ServerConfig config, Tls13Events events) {
        super(crypto);
        this.config = config;
        this.events = events;
        this.signer = new Tls13Signer(Tls13Certificates.toTls(crypto, config.credentials().chain()),
                config.credentials().key());
        this.chainCheck = config.clientPolicy() == null ? null : new Tls13ChainCheck(config.clientPolicy());
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {CipherSuite.TLS_SM4_GCM_SM3};
    }

    @Override
    public int[] getSupportedGroups() {
        return new int[] {NamedGroup.curveSM2};
    }

    @Override
    public TlsCredentials getCredentials() {
        return signer;
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        if (config.clientAuth() == Tls13ServerConfig.ClientAuth.NONE) {
            return null;
        }
        Vector<SignatureAndHashAlgorithm> algs = new Vector<>(List.of(SignatureAndHashAlgorithm.sm2sig_sm3));
        // RFC 8446 §4.3.2: the context is empty for a certificate request inside the handshake.
        return new CertificateRequest(TlsUtils.EMPTY_BYTES, algs, null, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            if (config.clientAuth() == Tls13ServerConfig.ClientAuth.REQUIRED) {
                throw new TlsFatalAlert(AlertDescription.certificate_required, "client sent no certificate");
            }
            return;
        }
        if (chainCheck == null) {
            throw new TlsFatalAlert(AlertDescription.unsupported_certificate, "no client certificate policy configured");
        }
        List<X509CertificateHolder> chain = chainCheck.verify(clientCertificate, config.clock().instant());
        events.peerChain(chain);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        events.alertRaised(description, message);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        events.alertReceived(level, description);
    }

    @Override
    public void notifyHandshakeComplete() {
        events.handshakeComplete();
    }
}
