package io.gmgate.app.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.sdk.Endpoint;
import io.gmgate.sdk.GmgateClient;

/** The local terminal proxy in front of a whole demo site: a plain local client trades through it. */
class TerminalAgentTest {

    private static DemoSite site;
    private static GmgateClient client;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader("8005678", "agent-Passw0rd".toCharArray());
        client = client(site.tradingPort());
        client.enroll("8005678", "agent-Passw0rd".toCharArray(), "legacy-pc", "246810".toCharArray());
    }

    private static GmgateClient client(int tradingPort) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", tradingPort)), List.of(site.root()),
                site.directory().resolve("agent-store"), Duration.ofSeconds(2), Duration.ofSeconds(5), 20_000));
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static String status(TerminalAgent agent) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.statusPort()
                + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aPlainLocalClientTradesThroughTheAgent() throws Exception {
        try (TerminalAgent agent = new TerminalAgent(client.login("agent-Passw0rd".toCharArray(), "246810".toCharArray()),
                new TerminalAgent.Ports(0, 0), 4);
             Socket legacy = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
            legacy.setSoTimeout(20_000);
            legacy.getOutputStream().write("BUY au2612 1 @ 600\n".getBytes(StandardCharsets.US_ASCII));
            String ack = new BufferedReader(new InputStreamReader(legacy.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("ACK 8005678 BUY au2612 1 @ 600", ack, "the front saw the verified account");
            String s = status(agent);
            assertTrue(s.contains("\"open\":1") && s.contains("\"total\":1"), s);
        }
    }

    @Test
    void aDeadGatewayIsReportedByHopAndTheLocalConnectionClosed() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        GmgateClient broken = client(dead);
        try (TerminalAgent agent = new TerminalAgent(broken.login("agent-Passw0rd".toCharArray(), "246810".toCharArray()),
                new TerminalAgent.Ports(0, 0), 4);
             Socket legacy = new Socket(InetAddress.getLoopbackAddress(), agent.tradingPort())) {
            legacy.setSoTimeout(20_000);
            assertEquals(-1, legacy.getInputStream().read(), "closed, not hung");
            String s = status(agent);
            assertTrue(s.contains("\"gateway\":") && s.contains("NET-400"), s);
        }
    }
}
