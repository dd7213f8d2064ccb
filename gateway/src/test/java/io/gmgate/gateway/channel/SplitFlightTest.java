package io.gmgate.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13Engine;
import io.gmgate.tlcp.tls13.Tls13ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

/**
 * A flight the socket reads in pieces goes to the engine, on one worker trip, once its last record is
 * whole: a client's certificates and CertificateVerify arrive as 2,048 bytes and the rest, and each
 * piece used to cost an event-loop → worker → event-loop round of its own.
 */
class SplitFlightTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki PKI = TestPki.create("split-flight");
    private static final TestPki.Credential SERVER = PKI.issueSign("localhost");
    private static final TestPki.Credential CLIENT = PKI.issueSign("8001234");

    private Vertx vertx;
    private int port;
    private final List<byte[]> fed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Tls13ServerConfig config = new Tls13ServerConfig(creds(SERVER), List.of(PKI.rootCertificate()),
                Tls13ServerConfig.ClientAuth.REQUIRED, Clock.systemUTC(), RANDOM);
        NetServer server = vertx.createNetServer();
        server.connectHandler(socket -> SecureChannel.start(vertx, socket,
                new ForwardingEngine(ChannelEngine.tls13(Tls13Engine.server("gw-test", config))) {
                    @Override
                    public void feed(byte[] network) {
                        if (!engine.isHandshakeComplete()) {
                            fed.add(network);
                        }
                        engine.feed(network);
                    }
                }));
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFlightWrittenInPiecesIsFedOncePerFlightAndOnlyAsWholeRecords() throws Exception {
        try (Socket raw = new PieceByPiece(port)) {
            raw.setSoTimeout(15_000);
            EngineSocket.over(raw, Tls13Engine.client("terminal", new Tls13ClientConfig(List.of(PKI.rootCertificate()),
                    creds(CLIENT), "localhost", Clock.systemUTC(), RANDOM))).handshake();
        }
        for (byte[] piece : fed) {
            assertTrue(WholeRecordsTest.endsAtBoundary(piece), "fed " + piece.length + " bytes that end inside a record");
        }
        assertEquals(2, fed.size(), "the ClientHello, then the client's second flight: one feed each");
    }

    private static Tls13Credentials creds(TestPki.Credential c) {
        return new Tls13Credentials(List.of(c.certificate()), Sm2SignKey.of(c.key()));
    }

    /**
     * Writes every flight as three pieces — inside the first record's header, inside a record, the
     * rest — each flushed, with a pause so the server reads them apart.
     */
    private static final class PieceByPiece extends Socket {

        PieceByPiece(int port) throws IOException {
            super(InetAddress.getLoopbackAddress(), port);
            setTcpNoDelay(true);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int[] cuts = {Math.min(3, len), Math.min(len, Math.max(3, len / 2)), len};
                    int from = 0;
                    for (int cut : cuts) {
                        if (cut > from) {
                            out.write(b, off + from, cut - from);
                            out.flush();
                            pause();
                            from = cut;
                        }
                    }
                }
            };
        }

        private static void pause() throws IOException {
            try {
                Thread.sleep(20); // only makes the server read the pieces apart; the result must not depend on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
