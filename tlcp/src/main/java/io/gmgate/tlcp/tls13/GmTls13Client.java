package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Vector;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

import io.gmgate.tlcp.TlcpException;

/**
 * The client's choices for BouncyCastle's TLS 1.3 state machine: TLS 1.3 only, TLS_SM4_GCM_SM3,
 * curveSM2 with an SM2 key share in the first ClientHello (GmSSL's server sends no
 * HelloRetryRequest, design §13), sm2sig_sm3, and the server's chain checked by {@link Tls13ChainCheck}.
 */
final class GmTls13Client extends AbstractTlsClient {

    private final Tls13ClientConfig config;
    private final Tls13Events events;
    private final Tls13ChainCheck chainCheck;
    private final TlsCrypto crypto;

    GmTls13Client(TlsCrypto crypto, Tls13ClientConfig config, Tls13Events events) {
        super(crypto);
        this.crypto = crypto;
        this.config = config;
        this.events = events;
        this.chainCheck = new Tls13ChainCheck(new io.gmgate.tlcp.X509CertificatePolicy(config.trustRoots(),
                io.gmgate.tlcp.RevocationCheck.NONE, false));
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
    protected Vector<Integer> getSupportedGroups(@SuppressWarnings("rawtypes") Vector namedGroupRoles) {
        return new Vector<>(List.of(NamedGroup.curveSM2));
    }

    @Override
    public Vector<Integer> getEarlyKeyShareGroups() {
        return new Vector<>(List.of(NamedGroup.curveSM2));
    }

    @Override
    protected Vector<SignatureAndHashAlgorithm> getSupportedSignatureAlgorithms() {
        return new Vector<>(List.of(SignatureAndHashAlgorithm.sm2sig_sm3));
    }

    /** No status_request: we do not staple OCSP, and GmSSL's TLS 1.3 server refuses a hello that offers it. */
    @Override
    public CertificateStatusRequest getCertificateStatusRequest() {
        return null;
    }

    @Override
    protected Vector<ServerName> getSNIServerNames() {
        String name = config.serverName();
        if (name == null || name.isEmpty() || isIpLiteral(name)) {
            return null;
        }
        return new Vector<>(List.of(new ServerName(NameType.host_name, name.getBytes(StandardCharsets.US_ASCII))));
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                List<X509CertificateHolder> chain =
                        chainCheck.verify(serverCertificate.getCertificate(), config.clock().instant());
                if (config.identity() != null) {
                    try {
                        config.identity().check(config.serverName(), chain.get(0), Optional.empty(), chain.subList(1, chain.size()),
                                config.trustRoots());
                    } catch (TlcpException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
                    }
                }
                events.peerChain(chain);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                Tls13Credentials own = config.credentials();
                if (own == null || !offersSm2(request)) {
                    return null;
                }
                return new Tls13Signer(Tls13Certificates.toTls(crypto, own.chain()), own.key());
            }
        };
    }

    private static boolean offersSm2(CertificateRequest request) {
        Vector<?> algs = request.getSupportedSignatureAlgorithms();
        return algs == null || algs.contains(SignatureAndHashAlgorithm.sm2sig_sm3);
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
