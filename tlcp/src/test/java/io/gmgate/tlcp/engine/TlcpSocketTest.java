package io.gmgate.tlcp.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.io.TlcpSocket;

/** The blocking adapter over real loopback sockets: handshake, a megabyte each way, close_notify. */
class TlcpSocketTest {

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void echoOverLoopback(CipherSuite suite) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(15_000);
                    TlcpSocket s = TlcpSocket.server(raw, TlcpFixtures.server(suite, ClientAuth.REQUIRED)).handshake();
                    byte[] buf = new byte[8192];
                    int total = 0;
                    for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                        s.getOutputStream().write(buf, 0, n);
                        total += n;
                    }
                    s.close();
                    return total;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] payload = new byte[1 << 20];
            new Random(5).nextBytes(payload);
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                raw.setSoTimeout(15_000);
                TlcpSocket c = TlcpSocket.client(raw, TlcpFixtures.client(suite, true)).handshake();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        c.getOutputStream().write(payload);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                byte[] back = new byte[payload.length];
                new DataInputStream(c.getInputStream()).readFully(back);
                writer.get(15, TimeUnit.SECONDS);
                assertArrayEquals(payload, back);
                c.close();
            }
            assertEquals(payload.length, server.get(15, TimeUnit.SECONDS));
        }
    }

    /** After the peer's close_notify a write fails as on a hung-up socket (an IOException), so callers reconnect. */
    @org.junit.jupiter.api.Test
    void writingAfterThePeerClosedIsAnIoFailure() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(15_000);
                    TlcpSocket.server(raw, TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.NONE)).handshake().close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                raw.setSoTimeout(15_000);
                TlcpSocket c = TlcpSocket.client(raw, TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, false)).handshake();
                server.get(15, TimeUnit.SECONDS);
                assertEquals(-1, c.getInputStream().read(), "close_notify read as end of stream");
                assertThrows(java.net.SocketException.class, () -> c.getOutputStream().write(new byte[] {1}));
                c.close();
            }
        }
    }
}
