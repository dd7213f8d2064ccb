package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.EngineSockets;
import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/**
 * TLS 1.3 with TLS_SM4_GCM_SM3 (RFC 8998) between our engine and BouncyCastle's JSSE provider over
 * loopback sockets, both directions, with and without client certificates.
 */
class Tls13BcJsseInteropTest {

    private static final Tls13Fixtures F = new Tls13Fixtures();
    private static final byte[] MSG = "quote request IF2612".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "BCJSSE client -> our server, client auth {0}, client sends certificate {1}")
    @CsvSource({"NONE, false", "OPTIONAL, false", "OPTIONAL, true", "REQUIRED, true"})
    void bcJsseClientToOurServer(ClientAuth auth, boolean clientCert) throws Exception {
        Tls13Engine engine = Tls13Engine.server("srv", F.serverConfig(auth));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> served = CompletableFuture.supplyAsync(() -> serveOne(listener, engine));
            SSLContext ctx = BcJssePeer.context(clientCert ? F.client : null, F.pki.rootCertificate());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                s.setSoTimeout(15_000);
                BcJssePeer.configure(s);
                s.startHandshake();
                SSLSession session = s.getSession();
                assertEquals("TLSv1.3", session.getProtocol());
                assertEquals("TLS_SM4_GCM_SM3", session.getCipherSuite());
                assertEquals(F.server.certificate().getSerialNumber(),
                        ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber());
                s.getOutputStream().write(MSG);
                assertArrayEquals(MSG, s.getInputStream().readNBytes(MSG.length));
            }
            assertEquals(MSG.length, served.get(20, TimeUnit.SECONDS));
            boolean authenticated = auth != ClientAuth.NONE && clientCert;
            // BCJSSE sends its key manager's whole chain: leaf and root.
            assertEquals(authenticated ? 2 : 0, engine.peerCertificates().size());
            if (authenticated) {
                assertEquals(F.client.certificate(), engine.peerCertificates().get(0));
            }
        }
    }

    @Test
    void bcJsseClientWithoutCertificateIsRefusedByARequiringServerWithTls154() throws Exception {
        Tls13Engine engine = Tls13Engine.server("srv", F.serverConfig(ClientAuth.REQUIRED));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> served = CompletableFuture.supplyAsync(() -> serveOne(listener, engine));
            SSLContext ctx = BcJssePeer.context(null, F.pki.rootCertificate());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                s.setSoTimeout(15_000);
                BcJssePeer.configure(s);
                // TLS 1.3: the client finishes its side first, then learns of the alert on its next read.
                assertThrows(IOException.class, () -> {
                    s.startHandshake();
                    s.getOutputStream().write(MSG);
                    s.getInputStream().read();
                });
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> served.get(20, TimeUnit.SECONDS));
            assertTrue(engine.failure() != null, () -> "server engine did not fail: " + e.getCause());
            assertEquals("TLS-154", engine.failure().errorCode().code(), engine.failure().getMessage());
        }
    }

    @ParameterizedTest(name = "our client -> BCJSSE server, client auth {0}, client has certificate {1}")
    @CsvSource({"NONE, false", "WANT, false", "WANT, true", "NEED, true"})
    void ourClientToBcJsseServer(String auth, boolean clientCert) throws Exception {
        SSLContext ctx = BcJssePeer.context(F.server, F.pki.rootCertificate());
        try (SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(auth.equals("NEED"));
            if (auth.equals("WANT")) {
                listener.setWantClientAuth(true);
            }
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> bcJsseEchoOnce(listener));
            Tls13Engine engine = Tls13Engine.client("cli", F.clientConfig(clientCert));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.setSoTimeout(15_000);
                EngineSocket<Tls13Engine> driver = EngineSocket.over(s, engine).handshake();
                assertEquals(F.server.certificate(), engine.peerCertificates().get(0));
                driver.getOutputStream().write(MSG);
                assertArrayEquals(MSG, driver.getInputStream().readNBytes(MSG.length));
                driver.close();
            }
            int peerCerts = served.get(20, TimeUnit.SECONDS);
            // Our credentials hold the leaf alone (the root is the server's to know).
            assertEquals(!auth.equals("NONE") && clientCert ? 1 : 0, peerCerts, "client chain seen by BCJSSE");
        }
    }

    private static long serveOne(ServerSocket listener, Tls13Engine engine) {
        try (Socket s = listener.accept()) {
            s.setSoTimeout(15_000);
            return EngineSockets.echoUntilClosed(EngineSocket.over(s, engine).handshake());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** BCJSSE side: handshake, echo one message, return the number of client certificates it saw. */
    private static int bcJsseEchoOnce(SSLServerSocket listener) {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(15_000);
            BcJssePeer.configure(s);
            s.startHandshake();
            byte[] got = s.getInputStream().readNBytes(MSG.length);
            s.getOutputStream().write(got);
            s.getOutputStream().flush();
            int seen;
            try {
                seen = s.getSession().getPeerCertificates().length;
            } catch (SSLPeerUnverifiedException none) {
                seen = 0;
            }
            s.getInputStream().read(); // wait for our close_notify
            return seen;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
