package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.Gmgate;
import io.gmgate.crypto.GmPem;
import io.gmgate.policy.AccessPolicy;
import picocli.CommandLine;

/**
 * docs/security.md, "Access modes and signed policies", the agent read its policy once: started during an emergency under BYPASS, it kept
 * sending terminals to the emergency address in clear after the firm replaced the policy file with
 * NORMAL — until someone restarted it. An attacker who keeps the GM path blocked then keeps reading
 * orders in clear. Now the agent's client re-reads the file at every terminal connection: after the
 * NORMAL policy arrives, the blocked two-way path is reported (NET-400 at the gateway hop in /status)
 * and nothing goes out in clear; once the path is back the same running agent trades two-way.
 */
class AgentStalePolicyAttackTest {

    private static final String ACCOUNT = "8300003";

    private static PolicyAttackSite s;

    @BeforeAll
    static void start() throws Exception {
        s = new PolicyAttackSite();
        s.enrol(ACCOUNT);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static String order(Socket terminal, String line) throws Exception {
        terminal.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(terminal.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private static Socket local(int port) throws Exception {
        Socket t = new Socket(InetAddress.getLoopbackAddress(), port);
        t.setSoTimeout(20_000);
        return t;
    }

    private static int awaitPlain(int atLeast) throws Exception {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (seen < atLeast && System.nanoTime() < deadline) {
            seen += s.plainConnections();
            Thread.sleep(20);
        }
        return seen;
    }

    @Test
    void aRunningAgentFollowsTheNewPolicyWithoutARestart() throws Exception {
        Path home = Files.createDirectories(s.site.directory().resolve("agent-" + ACCOUNT));
        Path policy = PolicyAttackSite.write(home.resolve("access.policy"), s.sign(1, AccessPolicy.Mode.BYPASS, Duration.ofHours(2)));
        Files.writeString(home.resolve("policy-key.pem"), GmPem.publicKeyToPem(s.firm.publicKey()));
        Files.writeString(home.resolve("roots.pem"), GmPem.toPem(s.site.root()));
        Files.writeString(home.resolve("pin"), new String(PolicyAttackSite.PIN) + "\n");
        Files.writeString(home.resolve("password"), new String(PolicyAttackSite.password(ACCOUNT)) + "\n");
        Path cfg = Files.writeString(home.resolve("terminal.yaml"), String.join("\n",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + s.site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + s.trading.port() + "}]",
                "  roots: roots.pem",
                "  store: '" + s.store(ACCOUNT) + "'",
                "  connectTimeout: 1s",
                "  failoverBudget: 3s",
                "  policyKey: policy-key.pem",
                "  policy: access.policy",
                "agent: {tradingPort: 0, enrolmentPort: 0, statusPort: 0, maxConnections: 8, pinFile: pin, passwordFile: password}",
                ""));
        CommandLine cli = new CommandLine(new Gmgate());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int[] rc = {-1};
        Thread running = new Thread(() -> rc[0] = cli.execute("agent", "--config", cfg.toString()), "agent-command");
        running.start();
        try {
            Matcher up = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && running.isAlive()) {
                up = Pattern.compile("agent up: 127\\.0\\.0\\.1:(\\d+) (?s).*status: http://127\\.0\\.0\\.1:(\\d+)/status")
                        .matcher(out.toString());
                if (up.find()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(up != null && up.find(0), out.toString());
            int agentPort = Integer.parseInt(up.group(1));
            int statusPort = Integer.parseInt(up.group(2));

            // the emergency, under BYPASS #1 with GM blocked: the agent goes plain (as the firm allowed)
            s.trading.blocked = true;
            try (Socket first = local(agentPort)) {
                assertEquals(1, awaitPlain(1), "BYPASS #1 in force: the emergency address");
            }

            // the firm replaces the file with NORMAL #2; the attacker keeps GM blocked; nobody restarts the agent
            Files.write(policy, s.sign(2, AccessPolicy.Mode.NORMAL, Duration.ofHours(24)));
            try (Socket second = local(agentPort)) {
                assertEquals(-1, second.getInputStream().read(), "the agent closes the terminal's connection");
            }
            assertEquals(0, awaitPlain(0) + s.plainConnections(), "nothing in clear under NORMAL #2");
            String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort
                    + "/status")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(status.contains("NET-400"), status);

            // GM is back: the same running agent trades two-way under the verified account
            s.trading.blocked = false;
            try (Socket third = local(agentPort)) {
                assertEquals("OK LOGIN " + ACCOUNT, order(third, "LOGIN " + ACCOUNT));
            }
            assertEquals(0, s.plainConnections());
        } finally {
            s.trading.blocked = false;
            ((io.gmgate.app.AgentCommand) cli.getSubcommands().get("agent").getCommand()).stop();
            running.join(20_000);
        }
        assertEquals(0, rc[0], out.toString());
    }
}
