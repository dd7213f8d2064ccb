package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.session.OnlineTerminal;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "Sessions and resumption" end to end: an operator disconnects a terminal through the admin API (another
 * event loop) while the terminal's own event loop writes the front's answers to it. Before, the
 * close sealed close_notify on the admin's thread while the loop sealed data: two records could
 * share a sequence number (one SM4-GCM nonce). The terminal's engine checks every record against its
 * own count, so a repeated or skipped number would fail with TLS-104; it must read to a clean end.
 * The deterministic check (which threads enter the engine) is SecureChannelConfinementTest.
 */
class CrossThreadDisconnectAttackTest {

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void anAdminDisconnectDuringAStreamOfAnswersEndsCleanly() throws Exception {
        String account = "8300401";
        GmgateClient trader = SessionAttackKit.enrolled(site, account);
        try (GmgateClient.Session s = trader.login(SessionAttackKit.password(account), SessionAttackKit.PIN)) {
            TlcpSocket channel = s.connect();
            BufferedReader answers = new BufferedReader(new InputStreamReader(channel.getInputStream(), StandardCharsets.US_ASCII));
            channel.getOutputStream().write(("LOGIN " + account + "\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("OK LOGIN " + account, answers.readLine());
            SessionAttackKit.await("the terminal is in the online registry",
                    () -> site.node().online().all().stream().anyMatch(t -> t.account().equals(account)), Duration.ofSeconds(10));
            String id = site.node().online().all().stream().filter(t -> t.account().equals(account))
                    .map(OnlineTerminal::connectionId).findFirst().orElseThrow();

            // the terminal keeps asking while it reads, so the gateway's loop is sealing answers when the disconnect lands
            byte[] hundred = "POSITIONS\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
            Thread asking = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        channel.getOutputStream().write(hundred);
                    }
                } catch (IOException | RuntimeException cut) {
                    // the disconnect
                }
            }, "terminal-asking");
            asking.start();
            for (int i = 0; i < 1_000; i++) {
                assertTrue(answers.readLine() != null, "the answers are streaming");
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + site.node().port("admin") + "/admin/v1/terminals/" + id))
                    .header("Authorization", "Bearer " + site.sreToken()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("true"), r.body());

            int lines = 0;
            try {
                for (String line; lines < 100_000 && (line = answers.readLine()) != null; ) {
                    lines++;
                }
            } catch (IOException | RuntimeException e) {
                String code = e instanceof GmgateException g ? g.errorCode().code()
                        : e.getCause() instanceof GmgateException g ? g.errorCode().code() : "none";
                assertTrue(!code.equals("TLS-104") && !String.valueOf(e.getMessage()).contains("bad_record_mac"),
                        "a record failed its integrity check after " + lines + " answers: " + e);
            }
            channel.socket().close();
            asking.join(10_000);
            assertTrue(lines < 199_000, "the disconnect cut the stream (" + lines + " answers after it)");
            System.out.println("cross-thread disconnect: " + lines + " answers read after the disconnect request, then a clean end");
        }
        SessionAttackKit.aLegitimateTraderStillTrades(trader, account);
    }
}
