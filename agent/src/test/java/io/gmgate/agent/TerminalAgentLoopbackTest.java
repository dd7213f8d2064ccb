package io.gmgate.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.jr.ob.JSON;

import io.gmgate.error.ErrorCode;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The relay mechanics against a real TLCP echo peer on 127.0.0.1 (no gateway): large transfers
 * through small bounded buffers, a terminal that half-closes, a taken port, and the hop table.
 * The whole agent against a real gateway is in the app module's TerminalAgentTest.
 */
class TerminalAgentLoopbackTest {

    private static final TestPki PKI = TestPki.create("agent-loopback");
    private static final TestPki.DoubleCert SERVER = PKI.issueGateway("localhost");
    private static ServerSocket echo;
    private static Thread acceptor;

    private static TlcpServerConfig serverConfig() {
        return new TlcpServerConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), ClientAuth.NONE,
                TlcpCredentials.inMemory(SERVER.sign().certificate(), SERVER.sign().key(), SERVER.enc().certificate(),
                        SERVER.enc().key(), List.of()),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, false),
                new InMemorySessionCache(16, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), new SecureRandom());
    }

    @BeforeAll
    static void startEcho() throws IOException {
        TlcpServerConfig cfg = serverConfig();
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket raw = echo.accept();
                    Thread t = new Thread(() -> echoOne(raw, cfg), "tlcp-echo");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "tlcp-echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void echoOne(Socket raw, TlcpServerConfig cfg) {
        try (raw) {
            raw.setSoTimeout(30_000);
            TlcpSocket s = TlcpSocket.server(raw, cfg).handshake();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            s.close();
        } catch (IOException | RuntimeException e) {
            // the agent closed the channel
        }
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    private static Upstream toEcho() {
        return to(echo.getLocalPort(), false);
    }

    /** Channels to {@code port}; with {@code seenEnded}, each handed over only once it has read the server's close. */
    private static Upstream to(int port, boolean seenEnded) {
        TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), Optional.empty(),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
        return () -> {
            try {
                Socket raw = new Socket();
                raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                raw.setSoTimeout(15_000);
                TlcpSocket s = TlcpSocket.client(raw, cfg).handshake();
                if (seenEnded) {
                    assertEquals(-1, s.getInputStream().read(), "the server ends the channel after the handshake");
                }
                return io.gmgate.sdk.TradingChannel.secure(io.gmgate.sdk.TradingPath.TWO_WAY, s);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> listener(TerminalAgent agent, String name) throws IOException {
        Map<String, Object> status = JSON.std.mapFrom(JSON.std.asString(agent.statusMap()));
        return (Map<String, Object>) ((Map<String, Object>) status.get("listeners")).get(name);
    }

    @Test
    void megabytesPassThroughSmallBoundedBuffersIntactBothWays() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        // 1 KiB per direction: the copy holds back the terminal rather than buffering what the gateway has not taken
        try (TerminalAgent agent = TerminalAgent.start(new AgentSettings(0, 0, 0, 2, 1024), toEcho(), toEcho(), Clock.systemUTC());
             Socket terminal = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
            terminal.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    terminal.getOutputStream().write(data);
                } catch (IOException e) {
                    // the read side reports it
                }
            }, "terminal-writer");
            writer.start();
            byte[] back = terminal.getInputStream().readNBytes(data.length);
            writer.join(30_000);
            assertArrayEquals(data, back);
            Map<String, Object> trading = listener(agent, TerminalAgent.TRADING);
            assertEquals(data.length, ((Number) trading.get("bytesUp")).intValue());
            assertEquals(data.length, ((Number) trading.get("bytesDown")).intValue());
            assertEquals(1, ((Number) trading.get("open")).intValue());
        }
    }

    @Test
    void aTerminalThatShutsItsOutputStillGetsTheAnswer() throws Exception {
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(2), toEcho(), toEcho(), Clock.systemUTC());
             Socket terminal = new Socket(InetAddress.getLoopbackAddress(), agent.enrolmentPort())) {
            terminal.setSoTimeout(15_000);
            terminal.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            terminal.shutdownOutput();
            assertEquals("GET / HTTP/1.0\r\n\r\n", new String(terminal.getInputStream().readNBytes(18), StandardCharsets.US_ASCII));
            assertTrue(agent.statusMap().get("lastError").toString().equals("{}"), agent.statusMap().toString());
        }
    }

    @Test
    void aPortAlreadyTakenIsNet410AndNothingIsLeftOpen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AgentException e = assertThrows(AgentException.class, () -> TerminalAgent.start(
                    new AgentSettings(0, taken.getLocalPort(), 0, 2, 4096), toEcho(), toEcho(), Clock.systemUTC()));
            assertEquals("NET-410", e.errorCode().code());
            assertTrue(e.getMessage().contains("[agent enrolment] cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void anUncodedUpstreamFailureIsFiledUnderTheGatewayHop() throws Exception {
        Upstream broken = () -> {
            throw new IllegalStateException("no route");
        };
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(2), broken, toEcho(), Clock.systemUTC());
             Socket terminal = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
            terminal.setSoTimeout(15_000);
            assertEquals(-1, terminal.getInputStream().read());
            String errors = agent.statusMap().get("lastError").toString();
            assertTrue(errors.startsWith("{gateway={") && errors.contains("code=NET-400") && errors.contains("no route"), errors);
        }
    }

    /**
     * A gateway whose front is down ends each channel right after the handshake. The terminal's bytes may
     * meet that end in the agent's upstream copy (its write fails) or its downstream copy may read it
     * first: either way one FRONT-400, never NET-412 from the upstream side nor two reports.
     */
    @Test
    void aChannelEndedRightAfterTheHandshakeIsOneFront400WhicheverDirectionSeesItFirst() throws Exception {
        int rounds = 20;
        TlcpServerConfig cfg = serverConfig();
        try (ServerSocket frontless = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    try (Socket raw = frontless.accept()) {
                        raw.setSoTimeout(15_000);
                        TlcpSocket.server(raw, cfg).handshake().close();
                    } catch (IOException | RuntimeException e) {
                        return;
                    }
                }
            }, "tlcp-closer");
            closer.setDaemon(true);
            closer.start();
            try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(2), to(frontless.getLocalPort(), true),
                    toEcho(), Clock.systemUTC())) {
                for (int i = 1; i <= rounds; i++) {
                    try (Socket terminal = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
                        terminal.setSoTimeout(15_000);
                        terminal.getOutputStream().write("LOGIN 8001234\n".getBytes(StandardCharsets.US_ASCII));
                        try {
                            assertEquals(-1, terminal.getInputStream().read(), "round " + i);
                        } catch (java.net.SocketException reset) {
                            // the agent closed before reading the terminal's bytes: a reset, the same end
                        }
                    }
                    // the copy that lost the claim may close the terminal's side while the other is still filing
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (((Number) listener(agent, TerminalAgent.TRADING).get("failed")).intValue() < i
                            && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertEquals(i, ((Number) listener(agent, TerminalAgent.TRADING).get("failed")).intValue(),
                            "one failure per channel, round " + i);
                }
                String errors = agent.statusMap().get("lastError").toString();
                assertTrue(errors.startsWith("{front={") && errors.contains("code=FRONT-400") && !errors.contains("gateway="),
                        errors);
            }
            closer.join(15_000);
        }
    }

    @Test
    void eachCodePrefixNamesItsHop() {
        Map<String, Hop> table = Map.of("NET-400", Hop.GATEWAY, "MODE-400", Hop.GATEWAY, "TLS-104", Hop.HANDSHAKE,
                "CERT-403", Hop.HANDSHAKE, "COSIGN-142", Hop.COSIGN, "KEY-101", Hop.COSIGN, "CA-100", Hop.COSIGN,
                "FRONT-400", Hop.FRONT, "ADMIN-300", Hop.GATEWAY);
        table.forEach((code, hop) -> assertEquals(hop, Hop.of(new ErrorCode(code, "cause", "action", false)), code));
    }

    @Test
    void settingsRefuseOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new AgentSettings(70_000, 0, 0, 1, 4096));
        assertThrows(IllegalArgumentException.class, () -> new AgentSettings(0, 0, 0, 0, 4096));
        assertThrows(IllegalArgumentException.class, () -> new AgentSettings(0, 0, 0, 1, 100));
    }
}
