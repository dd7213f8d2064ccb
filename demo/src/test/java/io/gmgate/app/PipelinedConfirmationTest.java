package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The CertificateVerify's confirmation is sent at once but its answer is read after the handshake
 * (docs/perf-login.md: one cosign round trip less per login). When {@code connect()} returns, the co-signature
 * of every login is confirmed on the server: no PIN attempt of the session is left pending, the PIN
 * counter shows no failure, and the next cosign request goes out with the nonce that answer carried.
 */
class PipelinedConfirmationTest {

    private static final char[] PIN = "135246".toCharArray();
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
    void everyLoginsCoSignatureIsConfirmedWhenConnectReturnsAndTheNextRequestUsesTheAnswersNonce() throws Exception {
        String account = "8300301";
        char[] password = ("Trader-Passw0rd-" + account).toCharArray();
        site.addTrader(account, password);
        GmgateClient terminal = new GmgateClient(new GmgateClient.Options(
                List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("pipelined-" + account), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
        terminal.enroll(account, password, "desk", PIN);
        DeviceRecord device = terminal.store().require();
        try (GmgateClient.Session session = terminal.login(password, PIN)) {
            for (int i = 0; i < 3; i++) {
                session.forgetSession();
                try (TlcpSocket channel = session.connect()) {
                    assertFalse(channel.engine().resumed(), "a full, co-signed handshake");
                    assertEquals(0, site.shards().pendingPinAttempts(account, device.deviceId(), session.cosign().sessionId()),
                            "login " + i + ": its co-signature's attempt is confirmed before connect() returns");
                    assertEquals(0, site.shards().pinCounter(account, device.deviceId()).failures());
                }
            }
            assertTrue(session.status().has("account"), "the next request carries the nonce of the confirmation's answer");
        }
    }
}
