package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.error.GmgateException;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.sdk.policy.TerminalPolicy;
import io.gmgate.tlcp.io.TlcpSocket;
import io.gmgate.crypto.Sm2SignKey;

/**
 * Seed 003 §7.3.1 trader scenarios end to end — SDK, gateway, cosign, CA and the trading front of
 * one demo site — that the CLI and agent tests do not already cover (renewal, PIN reset, certificate
 * lock and password change are in ClientCommandTest; agent forwarding in TerminalAgentTest). Each
 * test is its own trader with its own device store.
 */
class TraderScenariosTest {

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

    private static char[] password(String account) {
        return ("Trader-Passw0rd-" + account).toCharArray();
    }

    /** The terminal of {@code account}, trying these trading ports in order (nodes of one site). */
    private static GmgateClient terminal(String account, List<Integer> tradingPorts) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                tradingPorts.stream().map(p -> new Endpoint("sh", "127.0.0.1", p)).toList(), List.of(site.root()),
                site.directory().resolve("trader-" + account), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
    }

    private static GmgateClient enrolled(String account) {
        site.addTrader(account, password(account));
        GmgateClient c = terminal(account, List.of(site.tradingPort()));
        c.enroll(account, password(account), "desk", PIN);
        return c;
    }

    private static ProxyV2Header lastFrontHeader() {
        List<ProxyV2Header> h = site.front().headers();
        return h.get(h.size() - 1);
    }

    private static String serial(DeviceRecord r) {
        return GmPem.certificateFromDer(r.signChain().get(0)).getSerialNumber().toString(16);
    }

    private static String frontLogin(TlcpSocket channel, String account) throws Exception {
        return new FrontClient(channel.getInputStream(), channel.getOutputStream()).ask("LOGIN " + account);
    }

    @Test
    void theFirstLoginAppliesForCertificatesAndLaterLoginsUseThem() {
        String account = "8100001";
        site.addTrader(account, password(account));
        GmgateClient first = terminal(account, List.of(site.tradingPort()));
        assertTrue(first.store().load().isEmpty(), "a new device has no certificate yet");
        DeviceRecord enrolled = first.enroll(account, password(account), "desk", PIN);
        assertTrue(enrolled.encCertificate().isPresent(), "the double certificate: sign and encryption");
        String cn = GmPem.certificateFromDer(enrolled.signChain().get(0)).getSubject().toString();
        assertTrue(cn.contains("CN=" + account), cn);

        // a later login, after the terminal restarted: the same store, no new certificate
        GmgateClient later = terminal(account, List.of(site.tradingPort()));
        try (GmgateClient.Session s = later.login(password(account), PIN)) {
            assertTrue(s.loginAnswer().bool("enrolled"), "the cosign service knows the device");
            byte[] order = "ORDER c1 rb2605 BUY 1 LIMIT 3500".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
            assertEquals(serial(enrolled), s.signCertificate().getSerialNumber().toString(16), "the certificate of the first login");
        }
        GmgateException again = assertThrows(GmgateException.class, () -> later.enroll(account, password(account), "desk", PIN));
        assertEquals(SdkErrors.ALREADY_ENROLLED, again.errorCode(), "a second application for the same device is refused");
    }

    @Test
    void aTraderLogsInToTheFrontPlacesCancelsIsFilledAndSeesPositions() throws Exception {
        String account = "8100002";
        GmgateClient c = enrolled(account);
        try (GmgateClient.Session s = c.login(password(account), PIN); TlcpSocket channel = s.connect()) {
            FrontClient front = new FrontClient(channel.getInputStream(), channel.getOutputStream());
            assertEquals("ERR FRONT-310 log in first: LOGIN <account>", front.ask("POSITIONS"));
            assertEquals("ERR FRONT-311 the gateway verified " + account + ", not 8100099", front.ask("LOGIN 8100099"),
                    "a terminal holding one trader's certificate cannot trade as another");
            assertEquals("OK LOGIN " + account, front.ask("LOGIN " + account));
            assertEquals(serial(c.store().require()), lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_CERT_SERIAL).orElseThrow().text());

            String ack = front.ask("ORDER L1 IF2612 SELL 2 LIMIT 3900.2");
            assertTrue(ack.matches("ACK " + account + " O\\d+ L1"), ack);
            String limitId = ack.split(" ")[2];
            assertEquals(1, site.front().openOrders(account), "the LIMIT order rests");
            assertEquals("CANCELLED " + limitId, front.ask("CANCEL " + limitId));
            assertEquals("ERR FRONT-313 " + limitId + " not open", front.ask("CANCEL " + limitId), "cancelled once only");

            List<String> market = front.request("ORDER M1 rb2605 BUY 3 MARKET");
            assertEquals(2, market.size(), market.toString());
            String marketId = market.get(0).split(" ")[2];
            assertEquals(List.of("ACK " + account + " " + marketId + " M1", "FILL " + marketId + " 3 3500"), market);
            assertTrue(front.request("ORDER M2 rb2605 SELL 1 MARKET").get(1).matches("FILL O\\d+ 1 3500"));
            assertTrue(front.request("ORDER M3 au2612 SELL 4 MARKET").get(1).matches("FILL O\\d+ 4 3500"));
            assertEquals(List.of("POSITION au2612 -4", "POSITION rb2605 2", "END POSITIONS"), front.request("POSITIONS"));
            assertEquals("ERR FRONT-312 side must be BUY or SELL, not 'HOLD'", front.ask("ORDER X rb2605 HOLD 1 MARKET"));
        }
    }

    @Test
    void wrongPinsLockTheKeySoTheRightPinIsRefusedUntilThePinIsReset() throws Exception {
        String account = "8100003";
        GmgateClient c = enrolled(account);
        int tolerated = io.gmgate.cosign.CosignSettings.defaults("any").pinAttempts();
        GmgateClient.Session right = c.login(password(account), PIN);
        right.sign("BUY".getBytes(StandardCharsets.US_ASCII)); // confirmed at once: this session owes no try
        // each login runs the PIN through the server's OPRF: one try per mistyped PIN (docs/security.md, "The PIN and co-signing")
        for (int i = 1; i <= tolerated; i++) {
            GmgateClient.Session wrong = c.login(password(account), "999999".toCharArray());
            GmgateException e = assertThrows(GmgateException.class, () -> wrong.sign("BUY".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(SdkErrors.WRONG_PIN, e.errorCode(), "attempt " + i);
            assertTrue(e.getMessage().contains((tolerated - i) + " tries left"), e.getMessage());
        }
        GmgateException lockedLogin = assertThrows(GmgateException.class, () -> c.login(password(account), PIN));
        assertEquals("COSIGN-141", lockedLogin.errorCode().code(), "the next evaluation locks: " + lockedLogin.getMessage());
        GmgateException locked = assertThrows(GmgateException.class, () -> right.sign("BUY".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("COSIGN-141", locked.errorCode().code(), "locked: " + locked.getMessage());
        GmgateException noChannel = assertThrows(GmgateException.class, () -> right.connect().close());
        assertTrue(noChannel.getMessage().contains("COSIGN-141") || noChannel.errorCode().code().equals("COSIGN-141"),
                "no trading channel for a locked key: " + noChannel.errorCode() + " " + noChannel.getMessage());

        // the PIN reset re-checks the identity and lifts the PIN lock; the new PIN then signs and trades
        char[] newPin = "975310".toCharArray();
        c.resetPin(password(account), PIN, newPin);
        try (GmgateClient.Session after = c.login(password(account), newPin); TlcpSocket channel = after.connect()) {
            byte[] order = "after the lock".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(after.signCertificate(), order, after.sign(order)));
            assertEquals("OK LOGIN " + account, frontLogin(channel, account));
            assertEquals(tolerated, after.status().number("pinTriesLeft"), "the counter starts again");
        }
    }

    @Test
    void anExpiredCertificateIsRefusedAtTheHandshake() throws Exception {
        String account = "8100004";
        GmgateClient today = enrolled(account);
        Instant notAfter = GmPem.certificateFromDer(today.store().require().signChain().get(0)).getNotAfter().toInstant();
        // a node whose clock is a day past the trader's certificate: the certificate as it will be then
        Clock later = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), notAfter).plusDays(1));
        GatewayNode future = site.addGatewayNode("gw-after-expiry", site.frontPort(), later);
        try {
            GmgateClient atExpiry = terminal(account, List.of(future.port(GatewayNode.TRADING)));
            try (GmgateClient.Session s = atExpiry.login(password(account), PIN)) {
                GmgateException refused = assertThrows(GmgateException.class, () -> s.connect().close());
                // the gateway's CERT-101 reaches the terminal as its alert, and the SDK does not try other nodes for it
                assertEquals("TLS-107", refused.errorCode().code(), refused.getMessage());
                assertTrue(refused.getMessage().contains("certificate_expired"), refused.getMessage());
            }
            // the same certificate on a node that reads today's date still trades
            try (GmgateClient.Session s = today.login(password(account), PIN); TlcpSocket channel = s.connect()) {
                assertEquals("OK LOGIN " + account, frontLogin(channel, account));
            }
        } finally {
            future.close();
        }
    }

    @Test
    void theSdkFailsOverToASecondGatewayNodeWhenTheFirstStops() throws Exception {
        String account = "8100005";
        enrolled(account);
        GatewayNode first = site.addGatewayNode("gw-first", site.frontPort());
        GatewayNode second = site.addGatewayNode("gw-second", site.frontPort());
        int firstPort = first.port(GatewayNode.TRADING);
        int secondPort = second.port(GatewayNode.TRADING);
        try (GmgateClient.Session s = terminal(account, List.of(firstPort, secondPort)).login(password(account), PIN)) {
            try (TlcpSocket channel = s.connect()) {
                assertEquals("OK LOGIN " + account, frontLogin(channel, account));
                assertEquals(firstPort, lastFrontHeader().destination().getPort(), "the first node while it is up");
            }
            first.close();
            try (TlcpSocket channel = s.connect()) {
                assertEquals("OK LOGIN " + account, frontLogin(channel, account));
                assertEquals(secondPort, lastFrontHeader().destination().getPort(), "the second node once the first stopped");
                assertEquals(account, lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text());
            }
        } finally {
            second.close();
        }
    }

    @Test
    void anUnsignedDowngradeIsRefusedAndTheTerminalStaysOnTwoWayTlcp() throws Exception {
        String account = "8100006";
        GmgateClient c = enrolled(account);
        Sm2PrivateKey firm = Sm2PrivateKey.generate();
        Instant now = Instant.now();
        List<Endpoint> enrolment = List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort()));
        List<Endpoint> trading = List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort()));
        byte[] normal = SignedPolicy.sign(new AccessPolicy(1, now.minusSeconds(60), now.plusSeconds(3600), AccessPolicy.Mode.NORMAL,
                enrolment, trading, List.of()), Sm2SignKey.of(firm));
        AccessPolicy accepted = TerminalPolicy.accept(c.store(), firm.publicKey(), normal, Clock.systemUTC(), Duration.ofMinutes(5));

        // a downgrade to BYPASS straight to the front, with no signature or with a stranger's
        AccessPolicy bypass = new AccessPolicy(2, now, now.plusSeconds(3600), AccessPolicy.Mode.BYPASS, enrolment, trading,
                List.of(new Endpoint("sh", "127.0.0.1", site.frontPort())));
        for (byte[] offered : List.of(bypass.encode(), SignedPolicy.sign(bypass, Sm2SignKey.of(Sm2PrivateKey.generate())))) {
            GmgateException refused = assertThrows(GmgateException.class,
                    () -> TerminalPolicy.accept(c.store(), firm.publicKey(), offered, Clock.systemUTC(), Duration.ofMinutes(5)));
            assertEquals(io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED, refused.errorCode());
        }
        assertArrayEquals(normal, c.store().require().accessPolicy().orElseThrow(), "the device keeps the signed NORMAL policy");

        GmgateClient onPolicy = new GmgateClient(new GmgateClient.Options(accepted.enrolment(), accepted.trading(),
                List.of(site.root()), c.store().directory(), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
        try (GmgateClient.Session s = onPolicy.login(password(account), PIN); TlcpSocket channel = s.connect()) {
            assertEquals("OK LOGIN " + account, frontLogin(channel, account));
            assertEquals(account, lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text(),
                    "two-way TLCP: the front sees the verified account");
            assertEquals("NORMAL", lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).orElseThrow().text());
        }
    }
}
