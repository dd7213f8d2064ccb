package io.gmgate.attacks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * An attacker's one-way TLCP server on 127.0.0.1 posing as the gateway's enrolment listener: it
 * completes handshakes with whatever credentials it is given and keeps every byte a terminal sends
 * afterwards (a cosign login carries the account password).
 */
final class FakeGatewayServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger handshakes = new AtomicInteger();

    private FakeGatewayServer(TlcpServerConfig config) throws IOException {
        listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            for (int accepted = 0; accepted < 64 && !listener.isClosed(); accepted++) {
                try {
                    Socket raw = listener.accept();
                    Thread t = new Thread(() -> serve(raw, config), "fake-gateway-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-gateway-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server presenting {@code credentials} (sign + enc certificate, their keys wherever they are). */
    static FakeGatewayServer start(TlcpCredentials credentials, X509CertificateHolder anyRoot) throws IOException {
        return new FakeGatewayServer(new TlcpServerConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3),
                ClientAuth.NONE, credentials, new X509CertificatePolicy(List.of(anyRoot), RevocationCheck.NONE, false),
                new InMemorySessionCache(16, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), new SecureRandom()));
    }

    private void serve(Socket raw, TlcpServerConfig config) {
        try (raw) {
            raw.setSoTimeout(30_000);
            TlcpSocket s = TlcpSocket.server(raw, config).handshake();
            handshakes.incrementAndGet();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (received) {
                    received.write(buf, 0, n);
                }
                if (received.size() > 1 << 20) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the terminal refused us, or went away
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Handshakes that completed: a terminal that took us for the gateway. */
    int handshakes() {
        return handshakes.get();
    }

    String received() {
        synchronized (received) {
            return received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
