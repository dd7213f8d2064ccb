package io.gmgate.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;

/**
 * docs/security.md, "Sessions and resumption": an admin disconnect closed a channel from another thread while its event loop
 * was writing; close_notify and a data record could take the same sequence number, one SM4-GCM
 * nonce twice. Here the server streams records and a foreign thread closes the channel mid-stream:
 * the engine must only ever be entered by the socket's event loop (and by the handshake's worker),
 * never by two threads at once, and the terminal must see every explicit nonce once.
 */
class SecureChannelConfinementTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki PKI = TestPki.create("gateway-confinement");
    private static final TestPki.DoubleCert SERVER = PKI.issueDouble("localhost");

    private Vertx vertx;
    private int port;
    private final CompletableFuture<SecureChannel> established = new CompletableFuture<>();
    private final CompletableFuture<String> eventLoop = new CompletableFuture<>();
    private Recording recording;

    /** Records which threads enter the engine after the handshake, and whether two ever overlap. */
    static final class Recording implements ChannelEngine {
        final ChannelEngine engine;
        final Set<String> threadsAfterHandshake = ConcurrentHashMap.newKeySet();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        volatile boolean handshakeDone;

        Recording(ChannelEngine engine) {
            this.engine = engine;
        }

        private void enter() {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            if (handshakeDone) {
                threadsAfterHandshake.add(Thread.currentThread().getName());
            }
        }

        private void exit() {
            inside.decrementAndGet();
        }

        private <T> T in(java.util.function.Supplier<T> call) {
            enter();
            try {
                return call.get();
            } finally {
                exit();
            }
        }

        @Override
        public void feed(byte[] network) {
            in(() -> {
                engine.feed(network);
                return null;
            });
        }

        @Override
        public byte[] takeOutput() {
            return in(engine::takeOutput);
        }

        @Override
        public byte[] readApplicationData() {
            return in(engine::readApplicationData);
        }

        @Override
        public void writeApplicationData(byte[] data) {
            in(() -> {
                engine.writeApplicationData(data);
                return null;
            });
        }

        @Override
        public boolean isHandshakeComplete() {
            return in(engine::isHandshakeComplete);
        }

        @Override
        public boolean isClosed() {
            return in(engine::isClosed);
        }

        @Override
        public void closeOutbound() {
            in(() -> {
                engine.closeOutbound();
                return null;
            });
        }

        @Override
        public Handshake handshake() {
            return in(engine::handshake);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TlcpServerConfig config = new TlcpServerConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), ClientAuth.NONE,
                TlcpCredentials.inMemory(SERVER.sign().certificate(), SERVER.sign().key(), SERVER.enc().certificate(),
                        SERVER.enc().key(), List.of()), null, SessionCache.NONE, Clock.systemUTC(), RANDOM);
        NetServer server = vertx.createNetServer();
        server.connectHandler(socket -> {
            recording = new Recording(ChannelEngine.tlcp(TlcpEngine.server("confined", config)));
            SecureChannel ch = SecureChannel.start(vertx, socket, recording);
            ch.handshake().onSuccess(h -> {
                recording.handshakeDone = true;
                eventLoop.complete(Thread.currentThread().getName());
                established.complete(ch);
                stream(ch, Vertx.currentContext(), new byte[100], 0);
            });
        });
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** Ten records per turn of the event loop, until the channel refuses (closed) or 3000 turns. */
    private static void stream(SecureChannel ch, Context context, byte[] chunk, int turn) {
        AtomicBoolean refused = new AtomicBoolean();
        for (int i = 0; i < 10; i++) {
            ch.write(Buffer.buffer(chunk)).onFailure(e -> refused.set(true));
        }
        if (turn < 3000 && !refused.get()) {
            context.runOnContext(v -> stream(ch, context, chunk, turn + 1));
        }
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDisconnectFromAnotherThreadWhileTheLoopWritesNeverReusesASequenceNumber() throws Exception {
        TlcpEngine terminal = TlcpEngine.client("terminal", new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3),
                Optional.empty(), new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, true),
                Optional.empty(), EcdheEncoding.BARE, Clock.systemUTC(), RANDOM));
        Set<String> nonces = new HashSet<>();
        int records = 0;
        boolean closeSent = false;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(terminal.takeOutput());
            RecordReader in = new RecordReader(s.getInputStream());
            for (byte[] record; (record = in.next()) != null && !terminal.isClosed(); ) {
                boolean protectedRecord = terminal.isHandshakeComplete();
                terminal.feed(record); // a repeated sequence number fails here: the AAD carries the reader's own count
                s.getOutputStream().write(terminal.takeOutput());
                if (protectedRecord) {
                    assertTrue(nonces.add(java.util.HexFormat.of().formatHex(record, 5, 13)),
                            "explicit nonce repeated at record " + records);
                    records++;
                    terminal.read();
                }
                if (records == 200 && !closeSent) {
                    closeSent = true;
                    established.get(5, TimeUnit.SECONDS).close(); // an admin disconnect: not the channel's thread
                }
            }
        }
        assertTrue(closeSent, "the stream ran long enough to be cut mid-way (" + records + " records)");
        assertTrue(terminal.isPeerClosed(), "the terminal got close_notify");
        assertFalse(recording.overlapped.get(), "two threads were in the engine at once");
        assertEquals(Set.of(eventLoop.get()), recording.threadsAfterHandshake,
                "after the handshake only the socket's event loop touches the engine");
    }

    @Test
    void theEngineRefusesAThreadThatDoesNotOwnIt() throws Exception {
        ConfinedEngine confined = new ConfinedEngine(ChannelEngine.tlcp(TlcpEngine.server("x", new TlcpServerConfig(
                List.of(CipherSuite.ECC_SM4_GCM_SM3), ClientAuth.NONE, TlcpCredentials.inMemory(SERVER.sign().certificate(),
                SERVER.sign().key(), SERVER.enc().certificate(), SERVER.enc().key(), List.of()), null, SessionCache.NONE,
                Clock.systemUTC(), RANDOM))), Thread.currentThread());
        assertFalse(confined.isClosed(), "the owner may");
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                confined.closeOutbound();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Throwable refused = other.get(5, TimeUnit.SECONDS);
        assertTrue(refused instanceof GatewayException g && g.errorCode() == GatewayErrors.ENGINE_THREAD, String.valueOf(refused));
        confined.handOff();
        assertThrows(GatewayException.class, confined::isClosed, "the owner keeps off while a worker holds it");
    }

    /** Splits the stream into whole TLCP records (5-byte header, then the fragment). */
    private static final class RecordReader {
        private final InputStream in;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        RecordReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            byte[] buf = new byte[8192];
            for (int reads = 0; reads < 100_000; reads++) {
                byte[] have = pending.toByteArray();
                if (have.length >= 5) {
                    int len = ((have[3] & 0xff) << 8) | (have[4] & 0xff);
                    if (have.length >= 5 + len) {
                        pending.reset();
                        pending.write(have, 5 + len, have.length - 5 - len);
                        return Arrays.copyOf(have, 5 + len);
                    }
                }
                int n = in.read(buf);
                if (n < 0) {
                    return null;
                }
                pending.write(buf, 0, n);
            }
            throw new AssertionError("no whole record after 100000 reads");
        }
    }

}
