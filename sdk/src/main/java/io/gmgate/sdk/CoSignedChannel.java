package io.gmgate.sdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Two-way TLCP to a trading listener whose CertificateVerify is co-signed through the device's cosign
 * session, so the device's share never meets the server's. It offers the last session for resumption,
 * reports the TCP connect and the handshake to the login listener, and hands the channel over only once
 * the co-signature's confirmation has been answered.
 */
final class CoSignedChannel {

    private CoSignedChannel() {
    }

    static TlcpSocket open(GmgateClient via, DeviceRecord record, CoSigner signer, CosignClient cosign,
                           Optional<SessionState> resume) {
        TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3),
                Optional.of(credentials(record, signer)), via.serverChain(), resume, io.gmgate.tlcp.EcdheEncoding.BARE,
                Clock.systemUTC(), via.random());
        LoginListener l = via.listener();
        GmgateClient.Options options = via.options();
        TlcpSocket s = Failover.connect(via.tradingEndpoints(), options.connectTimeout(), options.failoverBudget(),
                (e, timeout) -> {
                    Socket raw = new Socket();
                    raw.setTcpNoDelay(true); // records are whole messages: never hold one back for an ACK
                    long t0 = System.nanoTime();
                    boolean connected = false;
                    boolean done = false;
                    try {
                        raw.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                        connected = true;
                        l.phaseDone(LoginListener.Phase.TCP_CONNECT, System.nanoTime() - t0, true);
                        raw.setSoTimeout(30_000);
                        TlcpSocket handshaken = TlcpSocket.client(raw, cfg.withServerPolicy(via.serverPolicy(e))).handshake();
                        done = true;
                        return handshaken;
                    } catch (IOException | RuntimeException ex) {
                        raw.close();
                        throw ex;
                    } finally {
                        if (!connected) {
                            l.phaseDone(LoginListener.Phase.TCP_CONNECT, System.nanoTime() - t0, false);
                        }
                        l.phaseDone(LoginListener.Phase.HANDSHAKE, System.nanoTime() - t0, done);
                    }
                });
        try {
            cosign.settle(); // the CertificateVerify's confirmation: answered while the Finished travelled
            if (cosign.hasPendingConfirmation()) {
                cosign.confirmNow();
            }
        } catch (RuntimeException refused) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the refusal is what the caller needs
            }
            throw refused;
        }
        return s;
    }

    private static TlcpCredentials credentials(DeviceRecord record, CoSigner signer) {
        X509CertificateHolder signCert = GmPem.certificateFromDer(record.signChain().get(0));
        List<X509CertificateHolder> cas = record.signChain().stream().skip(1).map(GmPem::certificateFromDer).toList();
        Sm2SignKey coSigned = new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return signer.publicKey();
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                // the confirmation's answer is read after the handshake, not before the Finished goes out
                return signer.signDigestConfirmingLater(e);
            }

            @Override
            public String toString() {
                return "Sm2SignKey[co-signed " + record.account() + "/" + record.deviceId() + "]";
            }
        };
        return TlcpCredentials.signOnly(signCert, coSigned, record.encCertificate().map(GmPem::certificateFromDer), cas);
    }
}
