package io.gmgate.gateway.channel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
 * A client whose handshake is done may hang up at once, while the gateway's worker is still taking
 * its last flight (the Finished, then the key-record re-check). That handshake completed: it must not
 * be reported as abandoned (NET-321), which load tools and terminals that open a connection only to
 * check it would otherwise trip on every time.
 */
class PeerGoneAfterFinishedTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki PKI = TestPki.create("peer-gone");
    private static final TestPki.Credential SERVER = PKI.issueSign("localhost");
    private static final TestPki.Credential CLIENT = PKI.issueSign("8001234");

    private Vertx vertx;
    private int port;
    private final List<Object> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Tls13ServerConfig config = new Tls13ServerConfig(creds(SERVER), List.of(PKI.rootCertificate()),
                Tls13ServerConfig.ClientAuth.REQUIRED, Clock.systemUTC(), RANDOM);
        NetServer server = vertx.createNetServer();
        server.connectHandler(socket -> {
            AtomicReference<SecureChannel> channel = new AtomicReference<>();
            ChannelEngine real = ChannelEngine.tls13(Tls13Engine.server("gw-test", config));
            channel.set(SecureChannel.start(vertx, socket, new WaitsForHangUpAfterFinished(real, channel)));
            channel.get().handshake().onComplete(ar -> outcomes.add(ar.succeeded() ? ar.result() : ar.cause()));
        });
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHandshakeThePeerFinishedIsCompleteEvenIfItHangsUpBeforeTheGatewayIsDone() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(15_000);
            EngineSocket.over(raw, Tls13Engine.client("terminal", new Tls13ClientConfig(List.of(PKI.rootCertificate()),
                    creds(CLIENT), "localhost", Clock.systemUTC(), RANDOM))).handshake();
        } // hung up: the gateway's worker is still inside the feed that takes the client's Finished
        await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
        ChannelEngine.Handshake h = assertInstanceOf(ChannelEngine.Handshake.class, outcomes.get(0),
                () -> "the handshake was reported as " + outcomes.get(0));
        assertEquals(CLIENT.certificate(), h.peerChain().get(0));
    }

    private static Tls13Credentials creds(TestPki.Credential c) {
        return new Tls13Credentials(List.of(c.certificate()), Sm2SignKey.of(c.key()));
    }

    /** The real engine; the feed that completes its handshake returns only once the socket has closed. */
    private static final class WaitsForHangUpAfterFinished extends ForwardingEngine {

        private final AtomicReference<SecureChannel> channel;

        WaitsForHangUpAfterFinished(ChannelEngine engine, AtomicReference<SecureChannel> channel) {
            super(engine);
            this.channel = channel;
        }

        @Override
        public void feed(byte[] network) {
            engine.feed(network);
            if (engine.isHandshakeComplete()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> channel.get().closed().isComplete());
            }
        }
    }
}
