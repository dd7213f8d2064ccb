package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.interop.BgmPeer;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.tls13.ProtocolSniffer.Kind;
import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/** TLCP, TLS 1.3 and plain TCP on one port, each with a real client. */
class OnePortTest {

    private static final Tls13Fixtures F = new Tls13Fixtures();
    private static final byte[] MSG = "one port".getBytes(StandardCharsets.US_ASCII);

    @Test
    void threeProtocolsOnePort() throws Exception {
        TestPki.DoubleCert tlcpCert = F.pki.issueDouble("localhost");
        try (BgmPeer.Server tlcpBackend = BgmPeer.server("ECC_SM4_GCM_SM3", BgmPeer.ClientAuth.NONE, tlcpCert,
                F.pki.rootCertificate());
             OnePortListener port = new OnePortListener(F.serverConfig(ClientAuth.NONE), tlcpBackend.port())) {

            // TLS 1.3 from our client, its first flight written one byte at a time.
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port.port())) {
                Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(false));
                s.setSoTimeout(15_000);
                EngineSocket<Tls13Engine> driver = EngineSocket.over(new DribblingSocket(s), client).handshake();
                driver.getOutputStream().write(MSG);
                assertArrayEquals(MSG, driver.getInputStream().readNBytes(MSG.length));
                driver.close();
            }

            // TLS 1.3 from BouncyCastle's JSSE.
            SSLContext bc = BcJssePeer.context(null, F.pki.rootCertificate());
            try (SSLSocket s = (SSLSocket) bc.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port.port())) {
                s.setSoTimeout(15_000);
                BcJssePeer.configure(s);
                s.getOutputStream().write(MSG);
                assertArrayEquals(MSG, s.getInputStream().readNBytes(MSG.length));
            }

            // TLCP from BGMProvider, passed to the TLCP backend.
            BgmPeer.Echo tlcp = BgmPeer.echo(port.port(), "ECC_SM4_GCM_SM3", null, F.pki.rootCertificate(), MSG);
            assertArrayEquals(MSG, tlcp.reply());
            assertEquals("GMTLS", tlcp.protocol());

            // Plain TCP.
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port.port())) {
                s.setSoTimeout(15_000);
                s.getOutputStream().write(MSG);
                s.shutdownOutput();
                assertArrayEquals("plain:one port".getBytes(StandardCharsets.US_ASCII), s.getInputStream().readAllBytes());
            }

            // TLS 1.2 only: routed to the TLS engine, which refuses it with an alert.
            SSLContext bc12 = BcJssePeer.context(null, F.pki.rootCertificate());
            try (SSLSocket s = (SSLSocket) bc12.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port.port())) {
                s.setSoTimeout(15_000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThrows(IOException.class, s::startHandshake);
            }

            assertTrue(port.awaitFinished(5));
            assertEquals(List.of(Kind.TLS13, Kind.TLS13, Kind.TLCP, Kind.PLAIN, Kind.TLS_OTHER), port.verdicts());
            assertEquals(1, port.failures().size(), () -> "failures: " + port.failures());
            assertTrue(port.failures().get(0) instanceof Tls13Exception e && e.errorCode().code().equals("TLS-151"),
                    () -> "failures: " + port.failures());
        }
    }

    /** A socket whose output goes out one byte per write and flush, to split the ClientHello. */
    private static final class DribblingSocket extends Socket {
        private final Socket inner;

        DribblingSocket(Socket inner) {
            this.inner = inner;
        }

        @Override
        public java.io.InputStream getInputStream() throws IOException {
            return inner.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            OutputStream out = inner.getOutputStream();
            return new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    for (int i = 0; i < len; i++) {
                        out.write(b[off + i]);
                        out.flush();
                    }
                }
            };
        }

        @Override
        public void setSoTimeout(int timeout) throws java.net.SocketException {
            inner.setSoTimeout(timeout);
        }
    }
}
