package io.gmgate.gateway.channel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * A flight the socket reads in pieces goes to the engine, on one worker trip, once its last record is
 * whole: a client's certificates and CertificateVerify arrive as 2,048 bytes and the rest, and each
 * piece used to cost an event-loop → worker → event-loop round of its own.
 */
class SplitFlightTest {

    private Tls13Loopback loopback;
    private final List<byte[]> fed = new CopyOnWriteArrayList<>();
    private final AtomicInteger serverReads = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        loopback = new Tls13Loopback("split-flight");
        loopback.listen(socket -> {
            // counts the socket's reads, so the client can send each piece only once the last was read apart
            ((NetSocketInternal) socket).channelHandlerContext().pipeline().addFirst(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    serverReads.incrementAndGet();
                    ctx.fireChannelRead(msg);
                }
            });
            SecureChannel.start(loopback.vertx, socket, new ForwardingEngine(loopback.serverEngine()) {
                @Override
                public void feed(byte[] network) {
                    if (!engine.isHandshakeComplete()) {
                        fed.add(network);
                    }
                    engine.feed(network);
                }
            });
        });
    }

    @AfterEach
    void stop() throws Exception {
        loopback.close();
    }

    @Test
    void aFlightWrittenInPiecesIsFedOncePerFlightAndOnlyAsWholeRecords() throws Exception {
        loopback.handshake(new PieceByPiece(loopback.port(), serverReads), loopback.clientConfig(loopback.client)).close();
        for (byte[] piece : fed) {
            assertTrue(WholeRecordsTest.endsAtBoundary(piece), "fed " + piece.length + " bytes that end inside a record");
        }
        assertEquals(2, fed.size(), "the ClientHello, then the client's second flight: one feed each");
    }

    /**
     * Writes every flight as three pieces — inside the first record's header, inside a record, the
     * rest — each flushed, the next only once the server has read the last.
     */
    private static final class PieceByPiece extends Socket {

        private final AtomicInteger serverReads;

        PieceByPiece(int port, AtomicInteger serverReads) throws IOException {
            super(InetAddress.getLoopbackAddress(), port);
            this.serverReads = serverReads;
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
                            int readBefore = serverReads.get();
                            out.write(b, off + from, cut - from);
                            out.flush();
                            await("the server read the piece").atMost(Duration.ofSeconds(10))
                                    .until(() -> serverReads.get() > readBefore);
                            from = cut;
                        }
                    }
                }
            };
        }
    }
}
