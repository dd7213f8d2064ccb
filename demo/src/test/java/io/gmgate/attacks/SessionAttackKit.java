package io.gmgate.attacks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * What the session attacks share on a {@link DemoSite} (PostgreSQL, embedded CA, cosign node, one
 * gateway node, the demo front that records PROXY headers): enrolled SDK terminals, raw TLCP
 * clients that choose what session to offer, and polling with a deadline.
 */
final class SessionAttackKit {

    static final char[] PIN = "135246".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionAttackKit() {
    }

    static char[] password(String account) {
        return ("Trader-Passw0rd-" + account).toCharArray();
    }

    /** The terminal of {@code account} whose device store is {@code store}, on the site's one trading port. */
    static GmgateClient terminal(DemoSite site, Path store) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()), store,
                Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
    }

    /** A new trader enrolled on device "desk", with a store of its own. */
    static GmgateClient enrolled(DemoSite site, String account) {
        site.addTrader(account, password(account));
        GmgateClient c = terminal(site, site.directory().resolve("attack-" + account + "-desk"));
        c.enroll(account, password(account), "desk", PIN);
        return c;
    }

    /** A TLCP client with no certificate that offers {@code session} (or none). */
    static TlcpClientConfig anonymous(DemoSite site, Optional<SessionState> session) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3), Optional.empty(),
                new X509CertificatePolicy(List.of(site.root()), RevocationCheck.NONE, true), session, EcdheEncoding.BARE,
                Clock.systemUTC(), RANDOM);
    }

    static TlcpSocket connect(int port, TlcpClientConfig cfg) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        raw.setSoTimeout(10_000);
        try {
            return TlcpSocket.client(raw, cfg).handshake();
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    static String login(TlcpSocket channel, String account) throws IOException {
        return new FrontClient(channel.getInputStream(), channel.getOutputStream()).ask("LOGIN " + account);
    }

    /** The node keeps serving: a legitimate trader's full two-way handshake and login still work. */
    static void aLegitimateTraderStillTrades(GmgateClient trader, String account) throws IOException {
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            s.forgetSession();
            try (TlcpSocket channel = s.connect()) {
                String answer = login(channel, account);
                if (!("OK LOGIN " + account).equals(answer)) {
                    throw new AssertionError("a legitimate trader after the attack: " + answer);
                }
            }
        }
    }

    static double counter(DemoSite site, String name, String... tags) {
        var c = site.node().metrics().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    static void await(String what, BooleanSupplier ok, Duration deadline) {
        org.awaitility.Awaitility.await(what).atMost(deadline).pollInterval(Duration.ofMillis(10)).until(ok::getAsBoolean);
    }
}
