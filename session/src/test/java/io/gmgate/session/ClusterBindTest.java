package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.VertxOptions;

/**
 * A member listens on the configured address only. On Linux all of 127.0.0.0/8 reaches the
 * loopback interface, so a socket bound to 0.0.0.0 answers on 127.0.0.2 as well; one bound to
 * 127.0.0.1 refuses it — a second local address on any machine that runs the suite.
 */
class ClusterBindTest {

    private static final InetAddress OTHER_LOCAL = address("127.0.0.2");
    private static ClusterNode node;

    @BeforeAll
    static void start() throws Exception {
        node = Await.result(ClusterNode.start(ClusterSettings.loopback(KilledMemberTest.freeBasePort(),
                ClusterIdentity.random("bind-test")), new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theMemberListensOnTheConfiguredAddressOnly() throws IOException {
        InetSocketAddress member = node.memberAddress();
        assertEquals("127.0.0.1", member.getAddress().getHostAddress(), "the address other members are told");
        connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), member.getPort()));
        assertThrows(ConnectException.class, () -> connect(new InetSocketAddress(OTHER_LOCAL, member.getPort())),
                "port " + member.getPort() + " answered on " + OTHER_LOCAL + ": Hazelcast bound every interface");
    }

    @Test
    void theEventBusListensOnTheConfiguredAddressOnly() throws IOException {
        InetSocketAddress bus = node.eventBusAddress();
        assertEquals("127.0.0.1", bus.getHostString());
        connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bus.getPort()));
        assertThrows(ConnectException.class, () -> connect(new InetSocketAddress(OTHER_LOCAL, bus.getPort())),
                "the event bus port " + bus.getPort() + " answered on " + OTHER_LOCAL);
    }

    private static void connect(InetSocketAddress to) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 2_000);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
