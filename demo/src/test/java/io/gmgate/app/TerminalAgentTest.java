package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.agent.AgentSettings;
import io.gmgate.agent.LoginUpstream;
import io.gmgate.agent.TerminalAgent;
import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import picocli.CommandLine;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.error.GmgateException;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.ports.ReservedPort;

/** The local terminal proxy in front of a whole demo site, with plain local clients as unmodified terminals. */
class TerminalAgentTest {

    private static final String ACCOUNT = "8005678";
    private static final char[] PASSWORD = "agent-Passw0rd".toCharArray();
    private static final char[] PIN = "246810".toCharArray();

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader(ACCOUNT, PASSWORD);
        client(List.of(site.tradingPort())).enroll(ACCOUNT, PASSWORD, "legacy-pc", PIN);
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    /** A client on the enrolled store, trying these trading ports in order (one site, several nodes). */
    private static GmgateClient client(List<Integer> tradingPorts) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                tradingPorts.stream().map(p -> new Endpoint("sh", "127.0.0.1", p)).toList(), List.of(site.root()),
                site.directory().resolve("agent-store"), Duration.ofSeconds(2), Duration.ofSeconds(10), 20_000));
    }

    private static TerminalAgent agent(GmgateClient c, int maxConnections) {
        return TerminalAgent.start(AgentSettings.ephemeral(maxConnections), new LoginUpstream(c, PASSWORD, PIN),
                io.gmgate.agent.Upstream.enrolment(c), Clock.systemUTC());
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Socket terminal(TerminalAgent agent) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort());
        s.setSoTimeout(20_000);
        return s;
    }

    private static String order(Socket terminal, String order) throws Exception {
        terminal.getOutputStream().write((order + "\n").getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(terminal.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    @Test
    void aPlainLocalClientTradesThroughTheAgentAndStatusShowsTheSession() throws Exception {
        try (TerminalAgent agent = agent(client(List.of(site.tradingPort())), 4); Socket legacy = terminal(agent)) {
            assertEquals("OK LOGIN " + ACCOUNT, order(legacy, "LOGIN " + ACCOUNT), "the front took the verified account");
            assertTrue(order(legacy, "ORDER t1 au2612 BUY 1 LIMIT 600").startsWith("ACK " + ACCOUNT + " O"));
            String s = get(agent.statusPort(), "/status");
            assertTrue(s.contains("\"trading\":{\"port\":" + agent.tradingPort() + ",\"open\":1,\"total\":1"), s);
            assertTrue(s.contains("\"gateway\":\"127.0.0.1:" + site.tradingPort() + "\"") && s.contains("ECC_SM4_GCM_SM3"), s);
            int up = ("LOGIN " + ACCOUNT + "\n").length() + "ORDER t1 au2612 BUY 1 LIMIT 600\n".length();
            assertTrue(s.contains("\"bytesUp\":" + up) && s.contains("\"lastError\":{}"), s);
            assertEquals(404, status(agent.statusPort(), "/other"));
        }
    }

    @Test
    void theEnrolmentPortRelaysPlainHttpToTheGatewaysCosignService() throws Exception {
        try (TerminalAgent agent = agent(client(List.of(site.tradingPort())), 4)) {
            // docs/terminal.md: with the proxy working, http://127.0.0.1:8090 answers 404 from the far side
            assertEquals(404, status(agent.enrolmentPort(), "/"));
            assertEquals(200, status(agent.enrolmentPort(), "/health/live"));
            String wrongLogin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.enrolmentPort() + "/v1/login"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + ACCOUNT + "\",\"password\":\"wrong-one\","
                            + "\"device\":\"tool\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(wrongLogin.contains("COSIGN-110"), wrongLogin);
            assertTrue(get(agent.statusPort(), "/status").contains("\"enrolment\":{\"port\":" + agent.enrolmentPort()));
        }
    }

    @Test
    void aDeadGatewayIsReportedAtTheGatewayHopAndTheTerminalIsClosedNotHung() throws Exception {
        int dead = deadPort();
        GmgateClient broken = client(List.of(dead));
        LoginUpstream login = new LoginUpstream(broken, PASSWORD, PIN);
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(4), login, io.gmgate.agent.Upstream.enrolment(broken),
                Clock.systemUTC()); Socket legacy = terminal(agent)) {
            assertEquals(-1, legacy.getInputStream().read(), "closed, not hung");
            String s = get(agent.statusPort(), "/status");
            assertTrue(s.contains("\"gateway\":{") && s.contains("\"code\":\"NET-400\"") && s.contains("127.0.0.1:" + dead), s);
            assertTrue(s.contains("\"action\":\"check the network"), s);
        }
    }

    @Test
    void theAgentFailsOverToTheNextGatewayNodeWhenOneStops() throws Exception {
        GatewayNode second = site.addGatewayNode("gw-demo-2", site.frontPort());
        GatewayNode third = site.addGatewayNode("gw-demo-3", site.frontPort());
        int secondPort = second.port(GatewayNode.TRADING);
        int thirdPort = third.port(GatewayNode.TRADING);
        try (TerminalAgent agent = agent(client(List.of(secondPort, thirdPort)), 4)) {
            try (Socket before = terminal(agent)) {
                assertEquals("OK LOGIN " + ACCOUNT, order(before, "LOGIN " + ACCOUNT));
                assertEquals(secondPort, lastFrontHeader().destination().getPort());
                second.close(); // the node goes down under the terminal
                assertEquals(-1, before.getInputStream().read(), "the terminal sees its connection end");
            }
            try (Socket after = terminal(agent)) {
                assertEquals("OK LOGIN " + ACCOUNT, order(after, "LOGIN " + ACCOUNT), "reconnected through the next node");
                assertEquals(thirdPort, lastFrontHeader().destination().getPort());
            }
        } finally {
            third.close();
        }
    }

    @Test
    void aGatewayThatClosesWithoutAnAnswerIsReportedAtTheFrontHop() throws Exception {
        GatewayNode frontless = site.addGatewayNode("gw-no-front", deadPort());
        try (TerminalAgent agent = agent(client(List.of(frontless.port(GatewayNode.TRADING))), 4); Socket legacy = terminal(agent)) {
            legacy.getOutputStream().write(("LOGIN " + ACCOUNT + "\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, legacy.getInputStream().read());
            String s = get(agent.statusPort(), "/status");
            assertTrue(s.contains("\"front\":{") && s.contains("\"code\":\"FRONT-400\""), s);
        } finally {
            frontless.close();
        }
    }

    @Test
    void aWrongPinStopsTheTradingSideBeforeItLocksTheKey() throws Exception {
        GmgateClient c = client(List.of(site.tradingPort()));
        LoginUpstream wrong = new LoginUpstream(c, PASSWORD, "000000".toCharArray());
        GmgateException first = assertThrows(GmgateException.class, wrong::checkPin);
        assertEquals("CERT-403", first.errorCode().code());
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(4), wrong, io.gmgate.agent.Upstream.enrolment(c),
                Clock.systemUTC()); Socket legacy = terminal(agent)) {
            assertEquals(-1, legacy.getInputStream().read());
            String s = get(agent.statusPort(), "/status");
            assertTrue(s.contains("\"handshake\":{") && s.contains("\"code\":\"CERT-410\""), s);
        }
        // one wrong attempt only; the right PIN confirms and resets the counter
        try (GmgateClient.Session ok = c.login(PASSWORD, PIN)) {
            ok.sign("after a wrong PIN".getBytes(StandardCharsets.US_ASCII));
            assertTrue(ok.status().number("pinTriesLeft") >= 5);
        }
    }

    @Test
    void theConnectionCapRefusesLocallyAndCloseEndsOpenConnections() throws Exception {
        TerminalAgent agent = agent(client(List.of(site.tradingPort())), 1);
        int port = agent.tradingPort();
        try (Socket first = terminal(agent)) {
            assertEquals("OK LOGIN " + ACCOUNT, order(first, "LOGIN " + ACCOUNT));
            try (Socket second = terminal(agent)) {
                assertEquals(-1, second.getInputStream().read(), "refused at the cap");
            }
            String s = get(agent.statusPort(), "/status");
            assertTrue(s.contains("\"local\":{") && s.contains("\"code\":\"NET-411\"") && s.contains("\"refused\":1"), s);
            agent.close();
            assertEquals(-1, first.getInputStream().read(), "closing the agent ends its connections");
        } finally {
            agent.close();
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound(), "the port is free again");
        }
    }

    @Test
    void theAgentCommandRunsFromTheTerminalFileUntilStopped() throws Exception {
        Path home = Files.createDirectories(site.directory().resolve("agent-command"));
        Path roots = Files.writeString(home.resolve("roots.pem"), GmPem.toPem(site.root()));
        Path cfg = Files.writeString(home.resolve("terminal.yaml"), String.join("\n",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: " + roots.getFileName(),
                "  store: '" + site.directory().resolve("agent-store") + "'",
                "agent:",
                "  tradingPort: 0",
                "  enrolmentPort: 0",
                "  statusPort: 0",
                "  maxConnections: 8",
                "  pinFile: pin",
                "  passwordFile: password", ""));
        Files.writeString(home.resolve("pin"), new String(PIN) + "\n");
        Files.writeString(home.resolve("password"), new String(PASSWORD) + "\n");
        CommandLine cli = Gmgate.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int[] rc = {-1};
        Thread running = new Thread(() -> rc[0] = cli.execute("agent", "--config", cfg.toString()), "agent-command");
        running.start();
        java.util.regex.Matcher up = null;
        for (int i = 0; i < 400; i++) {
            up = java.util.regex.Pattern.compile("agent up: 127\\.0\\.0\\.1:(\\d+) ").matcher(out.toString());
            if (up.find() || !running.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(up != null && up.find(0), out.toString());
        assertTrue(out.toString().contains("logged in as " + ACCOUNT + "/legacy-pc; PIN proven"), out.toString());
        try (Socket legacy = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(up.group(1)))) {
            legacy.setSoTimeout(20_000);
            assertEquals("OK LOGIN " + ACCOUNT, order(legacy, "LOGIN " + ACCOUNT));
        }
        ((AgentCommand) cli.getSubcommands().get("agent").getCommand()).stop.countDown();
        running.join(20_000);
        assertEquals(0, rc[0], out.toString());
    }

    @Test
    void theAgentCommandRefusesAWrongPasswordAtStart() throws Exception {
        Path home = Files.createDirectories(site.directory().resolve("agent-wrong"));
        Path roots = Files.writeString(home.resolve("roots.pem"), GmPem.toPem(site.root()));
        Path cfg = Files.writeString(home.resolve("terminal.yaml"), String.join("\n",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: roots.pem",
                "  store: '" + site.directory().resolve("agent-store") + "'", ""));
        Files.writeString(home.resolve("pin"), new String(PIN) + "\n");
        Files.writeString(home.resolve("password"), "not-the-password\n");
        CommandLine cli = Gmgate.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        assertEquals(1, cli.execute("agent", "--config", cfg.toString(), "--pin-file", home.resolve("pin").toString(),
                "--password-file", home.resolve("password").toString()), out.toString());
        assertTrue(out.toString().contains("gmgate: COSIGN-110 ") && out.toString().contains("  action: "), out.toString());
    }

    private static ProxyV2Header lastFrontHeader() {
        List<ProxyV2Header> h = site.front().headers();
        return h.get(h.size() - 1);
    }

    private static int deadPort() {
        return ReservedPort.forThisJvm();
    }
}
