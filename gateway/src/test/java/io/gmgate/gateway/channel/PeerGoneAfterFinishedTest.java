package io.gmgate.gateway.channel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose handshake is done may hang up at once, while the gateway's worker is still taking
 * its last flight (the Finished, then the key-record re-check). That handshake completed: it must not
 * be reported as abandoned (NET-321), which load tools and terminals that open a connection only to
 * check it would otherwise trip on every time.
 */
class PeerGoneAfterFinishedTest {

    private Tls13Loopback loopback;
    private final List<Object> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        loopback = new Tls13Loopback("peer-gone");
        loopback.listen(socket -> {
            AtomicReference<SecureChannel> channel = new AtomicReference<>();
            channel.set(SecureChannel.start(loopback.vertx, socket,
                    new WaitsForHangUpAfterFinished(loopback.serverEngine(), channel)));
            channel.get().handshake().onComplete(ar -> outcomes.add(ar.succeeded() ? ar.result() : ar.cause()));
        });
    }

    @AfterEach
    void stop() throws Exception {
        loopback.close();
    }

    @Test
    void aHandshakeThePeerFinishedIsCompleteEvenIfItHangsUpBeforeTheGatewayIsDone() throws Exception {
        loopback.connect(loopback.clientConfig(loopback.client)).socket().close();
        // hung up, no close_notify: the gateway's worker is still inside the feed that takes the client's Finished
        await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
        ChannelEngine.Handshake h = assertInstanceOf(ChannelEngine.Handshake.class, outcomes.get(0),
                () -> "the handshake was reported as " + outcomes.get(0));
        assertEquals(loopback.client.certificate(), h.peerChain().get(0));
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
