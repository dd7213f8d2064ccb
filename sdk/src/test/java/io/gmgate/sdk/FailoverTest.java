package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import io.gmgate.policy.Endpoint;

class FailoverTest {

    private static final Failover.Connector<Socket> TCP = (e, timeout) -> {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
            return s;
        } catch (IOException ex) {
            s.close();
            throw ex;
        }
    };

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void deadNodesOfTheFirstSiteAreSkippedForTheNextSite() throws IOException {
        try (ServerSocket live = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Endpoint> order = List.of(
                    new Endpoint("sh", "127.0.0.1", closedPort()),
                    new Endpoint("sh", "127.0.0.1", closedPort()),
                    new Endpoint("sz", "127.0.0.1", live.getLocalPort()));
            List<Endpoint> tried = new ArrayList<>();
            try (Socket s = Failover.connect(order, Duration.ofSeconds(2), Duration.ofSeconds(10), (e, t) -> {
                tried.add(e);
                return TCP.connect(e, t);
            })) {
                assertEquals(live.getLocalPort(), s.getPort());
            }
            assertEquals(order, tried);
        }
    }

    @Test
    void whenAllFailTheErrorNamesEveryHop() throws IOException {
        List<Endpoint> order = List.of(new Endpoint("sh", "127.0.0.1", closedPort()),
                new Endpoint("sz", "127.0.0.1", closedPort()));
        SdkException e = assertThrows(SdkException.class,
                () -> Failover.connect(order, Duration.ofSeconds(2), Duration.ofSeconds(10), TCP));
        assertEquals(SdkErrors.UNREACHABLE, e.errorCode());
        assertTrue(e.getMessage().contains("(sh)") && e.getMessage().contains("(sz)"), e.getMessage());
        assertTrue(e.getCause() instanceof java.net.ConnectException, "the last hop's failure is the cause: " + e.getCause());
    }

    @Test
    void aRetryableCodedFailureOfTheLastHopIsKeptAsTheCause() {
        SdkException cosignDown = new SdkException(SdkErrors.COSIGN_UNREACHABLE, "cosign /v1/sign: connection closed");
        List<Endpoint> order = List.of(new Endpoint("sh", "127.0.0.1", 1), new Endpoint("sz", "127.0.0.1", 2));
        SdkException e = assertThrows(SdkException.class, () -> Failover.connect(order, Duration.ofSeconds(1),
                Duration.ofSeconds(5), (endpoint, timeout) -> {
                    throw cosignDown;
                }));
        assertEquals(SdkErrors.UNREACHABLE, e.errorCode());
        assertEquals(cosignDown, e.getCause(), "a terminal can tell the co-signing service is down, not the gateway");
    }

    @Test
    void aNonRetryableFailureStopsAtOnce() {
        SdkException notEnrolled = new SdkException(SdkErrors.NOT_ENROLLED, "no certificate");
        List<Endpoint> order = List.of(new Endpoint("sh", "127.0.0.1", 1), new Endpoint("sz", "127.0.0.1", 2));
        List<Endpoint> tried = new ArrayList<>();
        SdkException e = assertThrows(SdkException.class, () -> Failover.connect(order, Duration.ofSeconds(1),
                Duration.ofSeconds(5), (ep, t) -> {
                    tried.add(ep);
                    throw notEnrolled;
                }));
        assertSame(notEnrolled, e);
        assertEquals(1, tried.size());
    }
}
