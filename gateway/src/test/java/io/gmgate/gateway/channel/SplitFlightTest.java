package io.gmgate.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flight the socket reads in pieces goes to the engine, on one worker trip, once its last record is
 * whole: a client's certificates and CertificateVerify arrive as 2,048 bytes and the rest, and each
 * piece used to cost an event-loop → worker → event-loop round of its own.
 */
class SplitFlightTest {

    private Tls13Loopback loopback;
    private final List<byte[]> fed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        loopback = new Tls13Loopback("split-flight");
        loopback.listen(socket -> SecureChannel.start(loopback.vertx, socket, new ForwardingEngine(loopback.serverEngine()) {
            @Override
            public void feed(byte[] network) {
                if (!engine.isHandshakeComplete()) {
                    fed.add(network);
                }
                engine.feed(network);
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        loopback.close();
    }

    @Test
    void aFlightWrittenInPiecesIsFedOncePerFlightAndOnlyAsWholeRecords() throws Exception {
        loopback.handshake(new PieceByPiece(loopback.port()), loopback.clientConfig(loopback.client)).close();
        for (byte[] piece : fed) {
            assertTrue(WholeRecordsTest.endsAtBoundary(piece), "fed " + piece.length + " bytes that end inside a record");
        }
        assertEquals(2, fed.size(), "the ClientHello, then the client's second flight: one feed each");
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
