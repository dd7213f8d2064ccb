package io.gmgate.app.demo;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.error.GmgateException;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.Fields;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The demo's second half: a whole site on 127.0.0.1 and a trader going through docs/terminal.md —
 * apply for certificates, log in, trade over two-way TLCP, sign and co-decrypt, mistype the PIN.
 */
final class EndToEndDemo {

    private static final String ACCOUNT = "8001234";
    private static final char[] PASSWORD = "demo-Passw0rd".toCharArray();
    private static final char[] PIN = "123456".toCharArray();

    private final DemoCommand demo;
    private final PrintWriter out;
    private DemoSite site;
    private GmgateClient client;
    private GmgateClient.Session session;
    private DeviceRecord device;
    private TlcpSocket trading;
    private FrontClient front;
    private final List<String> conversation = new java.util.ArrayList<>();

    private final boolean keepRunning;

    EndToEndDemo(DemoCommand demo, PrintWriter out, boolean keepRunning) {
        this.demo = demo;
        this.out = out;
        this.keepRunning = keepRunning;
    }

    void run() throws Exception {
        out.println("starting the site (PostgreSQL, cipher card, CA, cosign node, gateway, trading front; usually 5-30 s):");
        out.flush();
        demo.run(out, "site: PostgreSQL, card, CA, cosign, gateway", this::startSite);
        try {
            demo.run(out, "apply for certificates over :8090 (one-way TLCP)", this::enroll);
            demo.run(out, "log in; the PIN unmasks the device's share", this::login);
            demo.run(out, "log in to the trading front over :9000 (two-way TLCP)", this::frontLogin);
            demo.run(out, "LIMIT order rests, then is cancelled", this::limitAndCancel);
            demo.run(out, "MARKET order and its fill report", this::marketAndFill);
            demo.run(out, "positions from the front", this::positions);
            demo.run(out, "co-decrypt data sent to the enc certificate", this::coDecrypt);
            demo.run(out, "sign business data; verify with the certificate", this::signAndVerify);
            demo.run(out, "a mistyped PIN is refused and counted", this::wrongPin);
            demo.run(out, "an operator locks the key: no channel for it", this::lockedKeyRefused);
            demo.run(out, "SRE flips BYPASS and back (appendix C.1)", this::bypassFlip);
            demo.run(out, "reset the PIN: old PIN useless, new one works", this::resetPin);
            demo.run(out, "status: certificates, expiry, PIN tries left", this::status);
            demo.run(out, "renew online inside the renewal window", this::renew);
            if (keepRunning && site != null) {
                keepRunning();
            }
        } finally {
            if (trading != null) {
                trading.close();
            }
            if (site != null) {
                site.close();
            }
        }
    }

    /** What the trader and the front said to each other over two-way TLCP, for the final report. */
    List<String> conversation() {
        return List.copyOf(conversation);
    }

    /** The console's address on the admin port (docs/console.md): the admin listener serves it at /console/. */
    static String consoleAddress(int adminPort) {
        return "http://127.0.0.1:" + adminPort + "/console/";
    }

    /** Prints what a person needs to try the site by hand, then waits for Ctrl-C. */
    private void keepRunning() throws Exception {
        java.nio.file.Path root = site.directory().resolve("root.pem");
        java.nio.file.Files.writeString(root, GmPem.toPem(site.root()));
        java.nio.file.Path terminal = java.nio.file.Files.writeString(site.directory().resolve("terminal.yaml"), String.join("\n",
                "client:",
                "  enrolment: [{site: demo, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: demo, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: '" + root + "'",
                "  store: '" + client.store().directory() + "'",
                "agent:          # free ports, so the demo never collides with a real agent on 9000/8090",
                "  tradingPort: 19000",
                "  enrolmentPort: 18090",
                "  statusPort: 19091", ""));
        out.printf("%nthe site stays up (Ctrl-C ends it):%n");
        out.printf("  enrolment (one-way TLCP)  127.0.0.1:%d%n  trading (two-way TLCP)    127.0.0.1:%d%n", site.enrolmentPort(),
                site.tradingPort());
        out.printf("  admin API                 http://127.0.0.1:%d  (SRE token %s)%n", site.node().port("admin"), site.sreToken());
        out.printf("  web console               %s%n", consoleAddress(site.node().port("admin")));
        out.printf("    viewer token            %s  (read-only)%n", site.viewerToken());
        out.printf("    SRE token               %s  (modes, disconnect)%n", site.sreToken());
        out.printf("    key operator token      %s  (lock/unlock certificates)%n", site.keyOperatorToken());
        out.printf("  CA root                   %s%n  trader                    %s / password %s / PIN %s%n",
                root, ACCOUNT, new String(PASSWORD), "135790 (reset during the demo)");
        out.printf("  try: gmgate probe 127.0.0.1:%d --ca %s%n", site.enrolmentPort(), root);
        out.printf("       gmgate client status --config %s%n", terminal);
        out.printf("       gmgate agent --config %s   (then: printf 'LOGIN %s\\nPOSITIONS\\n' | nc 127.0.0.1 19000)%n", terminal,
                ACCOUNT);
        out.printf("       gmgate doctor --config %s%n", terminal);
        out.printf("       curl -H 'Authorization: Bearer %s' http://127.0.0.1:%d/admin/v1/mode%n", site.sreToken(),
                site.node().port("admin"));
        out.flush();
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
        stop.await();
    }

    private String startSite() throws Exception {
        site = new DemoSite(part -> {
            out.println("    " + part);
            out.flush();
        });
        site.addTrader(ACCOUNT, PASSWORD);
        client = new GmgateClient(new GmgateClient.Options(
                List.of(new Endpoint("demo", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("demo", "127.0.0.1", site.tradingPort())),
                List.of(site.root()), site.directory().resolve("terminal"), Duration.ofSeconds(3), Duration.ofSeconds(20),
                20_000));
        return "gateway :" + site.enrolmentPort() + " (enrolment) and :" + site.tradingPort() + " (trading) on 127.0.0.1";
    }

    private String enroll() {
        device = client.enroll(ACCOUNT, PASSWORD, "desk-1", PIN);
        var cert = GmPem.certificateFromDer(device.signChain().get(0));
        return "sign certificate " + cert.getSerialNumber().toString(16) + " for " + cert.getSubject()
                + "; shares saved PIN-masked in " + site.directory().relativize(client.store().directory());
    }

    private String login() {
        session = client.login(PASSWORD, PIN);
        return "cosign session open; enrolled=" + session.loginAnswer().bool("enrolled");
    }

    /** One request over the open trading channel, kept for the report. */
    private List<String> say(String line) throws java.io.IOException {
        List<String> answer = front.request(line);
        conversation.add(line + "  ->  " + String.join(" / ", answer));
        return answer;
    }

    private String frontLogin() throws Exception {
        trading = session.connect();
        front = new FrontClient(trading.getInputStream(), trading.getOutputStream());
        List<String> ok = say("LOGIN " + ACCOUNT);
        DemoCommand.require(ok.equals(List.of("OK LOGIN " + ACCOUNT)), "the front took the login: " + ok);
        ProxyV2Header h = site.front().headers().get(site.front().headers().size() - 1);
        String verified = h.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).map(ProxyV2Header.Tlv::text).orElse("?");
        DemoCommand.require(verified.equals(ACCOUNT), "the gateway told the front the verified account: " + verified);
        return trading.engine().suite() + "; front got '" + ok.get(0) + "' for verified account " + verified + ", serial "
                + h.tlv(ProxyV2Header.TYPE_GMGATE_CERT_SERIAL).map(ProxyV2Header.Tlv::text).orElse("?");
    }

    private String limitAndCancel() throws Exception {
        String ack = say("ORDER L1 rb2605 BUY 2 LIMIT 3490").get(0);
        DemoCommand.require(ack.matches("ACK " + ACCOUNT + " \\S+ L1"), "the LIMIT order acknowledged: " + ack);
        String orderId = ack.split(" ")[2];
        String cancelled = say("CANCEL " + orderId).get(0);
        DemoCommand.require(cancelled.equals("CANCELLED " + orderId), "cancelled: " + cancelled);
        return "order " + orderId + " rested, then '" + cancelled + "'";
    }

    private String marketAndFill() throws Exception {
        List<String> answer = say("ORDER M1 rb2605 BUY 1 MARKET");
        DemoCommand.require(answer.size() == 2 && answer.get(0).matches("ACK " + ACCOUNT + " \\S+ M1"), "acknowledged: " + answer);
        String orderId = answer.get(0).split(" ")[2];
        DemoCommand.require(answer.get(1).equals("FILL " + orderId + " 1 3500"), "the fill report: " + answer.get(1));
        return "'" + answer.get(0) + "' then '" + answer.get(1) + "'";
    }

    private String positions() throws Exception {
        List<String> answer = say("POSITIONS");
        DemoCommand.require(answer.equals(List.of("POSITION rb2605 1", "END POSITIONS")), "one lot of rb2605 held: " + answer);
        trading.close();
        trading = null;
        return String.join("; ", answer);
    }

    private String signAndVerify() {
        byte[] order = "CANCEL 20261123-000042".getBytes(StandardCharsets.UTF_8);
        Sm2Signature sig = session.sign(order);
        DemoCommand.require(GmgateClient.verify(session.signCertificate(), order, sig), "verifies under the certificate");
        byte[] forged = "CANCEL 20261123-000043".getBytes(StandardCharsets.UTF_8);
        DemoCommand.require(!GmgateClient.verify(session.signCertificate(), forged, sig), "another order does not verify");
        return "an ordinary SM2 verifier accepts it; a changed order does not";
    }

    private String coDecrypt() {
        byte[] secret = "settlement report key".getBytes(StandardCharsets.UTF_8);
        var encCert = GmPem.certificateFromDer(device.encCertificate().orElseThrow());
        Sm2Ciphertext ct = Sm2Cipher.encrypt(GmPem.publicKey(encCert), secret);
        byte[] opened = session.decrypt(ct);
        DemoCommand.require(java.util.Arrays.equals(secret, opened), "co-decryption round trip");
        return "opened by the device's share and the server's together";
    }

    private String wrongPin() {
        GmgateClient.Session wrong = client.login(PASSWORD, "654321".toCharArray());
        try {
            wrong.sign("BUY 1".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("a wrong PIN produced a signature");
        } catch (GmgateException e) {
            DemoCommand.require(e.errorCode() == SdkErrors.WRONG_PIN, "CERT-403, got " + e.errorCode());
            return e.errorCode() + ": " + e.getMessage();
        }
    }

    private String lockedKeyRefused() throws Exception {
        long keyId = Long.parseLong(device.signKey().orElseThrow().keyId());
        var shards = site.shards();
        var locked = shards.changeState(keyId, shards.key(keyId).rowVersion(), io.gmgate.keystore.KeyState.LOCKED,
                "operator:demo", "suspected compromise (drill)");
        String refusal;
        try (TlcpSocket channel = session.connect()) {
            throw new IllegalStateException("a locked key still got a channel: " + channel.engine().suite());
        } catch (GmgateException e) {
            // The cosign service refuses to co-sign for a locked key (COSIGN-142); a whole-key
            // certificate would be stopped by the gateway's own key-record check (certificate_revoked).
            DemoCommand.require(e.errorCode().code().equals("COSIGN-142") || e.getMessage().contains("certificate_revoked"),
                    "refused for the lock: " + e.getMessage());
            refusal = e.errorCode().code();
        } finally {
            shards.changeState(keyId, locked.rowVersion(), io.gmgate.keystore.KeyState.ACTIVE, "operator:demo", "drill over");
        }
        try (TlcpSocket channel = session.connect()) {
            DemoCommand.require(loggedIn(channel), "trades again after unlock");
        }
        return "locked: " + refusal + "; unlocked: trading again";
    }

    private String bypassFlip() throws Exception {
        var node = site.node();
        node.modes().set(io.gmgate.session.Scope.CLUSTER, io.gmgate.session.AccessMode.BYPASS,
                "demo drill: all GM paths down", "demo-sre", java.util.Optional.of(Duration.ofMinutes(5)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!node.bypassOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        DemoCommand.require(node.bypassOpen(), "the bypass listener opened");
        int port = node.port("bypass");
        String ack;
        try (java.net.Socket plain = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            ack = new FrontClient(plain.getInputStream(), plain.getOutputStream()).ask("LOGIN " + ACCOUNT);
        }
        ProxyV2Header plainHeader = site.front().headers().get(site.front().headers().size() - 1);
        DemoCommand.require(ack.equals("OK LOGIN " + ACCOUNT) && plainHeader.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).isEmpty(),
                "plain login taken without a verified identity: " + ack);
        node.modes().set(io.gmgate.session.Scope.CLUSTER, io.gmgate.session.AccessMode.NORMAL, "demo drill over", "demo-sre",
                java.util.Optional.empty());
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (node.bypassOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        DemoCommand.require(!node.bypassOpen(), "the bypass listener closed again");
        try (TlcpSocket channel = session.connect()) {
            DemoCommand.require(loggedIn(channel), "two-way again after the flip back");
        }
        return "plain :" + port + " carried '" + ack + "' with no verified identity; closed on NORMAL, two-way TLCP again";
    }

    private String resetPin() {
        char[] newPin = "135790".toCharArray();
        session.resetPin(PASSWORD, newPin);
        session = client.login(PASSWORD, newPin);
        Sm2Signature sig = session.sign("after reset".getBytes(StandardCharsets.UTF_8));
        DemoCommand.require(GmgateClient.verify(session.signCertificate(), "after reset".getBytes(StandardCharsets.UTF_8), sig),
                "the new PIN signs under the same certificate");
        try {
            client.login(PASSWORD, PIN).sign("old pin".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("the old PIN still signs");
        } catch (GmgateException e) {
            DemoCommand.require(e.errorCode() == SdkErrors.WRONG_PIN, "old PIN refused: " + e.errorCode());
        }
        return "re-shared: same certificate, new device shares under the new PIN; the old PIN gives " + SdkErrors.WRONG_PIN.code();
    }

    private String status() {
        Fields s = session.cosign().call("status", java.util.Map.of());
        return "pinTriesLeft=" + s.number("pinTriesLeft") + ", renewal window open=" + s.object("renewal").bool("windowOpen");
    }

    private String renew() throws Exception {
        var before = GmPem.certificateFromDer(client.store().require().signChain().get(0));
        var renewed = session.renew();
        var after = GmPem.certificateFromDer(renewed.signChain().get(0));
        DemoCommand.require(!after.getSerialNumber().equals(before.getSerialNumber()), "a new sign certificate");
        DemoCommand.require(GmPem.publicKey(after).equals(GmPem.publicKey(before)), "for the same joint key");
        DemoCommand.require(renewed.renewalCode().isEmpty(), "the renewal code is cleared once done");
        try (TlcpSocket channel = session.connect()) {
            DemoCommand.require(loggedIn(channel), "trading after renewal");
        }
        ProxyV2Header h = site.front().headers().get(site.front().headers().size() - 1);
        DemoCommand.require(h.tlv(ProxyV2Header.TYPE_GMGATE_CERT_SERIAL).map(ProxyV2Header.Tlv::text).orElse("")
                .equals(after.getSerialNumber().toString(16)), "the gateway verified the renewed certificate");
        return "certificate " + before.getSerialNumber().toString(16) + " (until " + before.getNotAfter().toInstant()
                + ") renewed as " + after.getSerialNumber().toString(16) + "; trading on it";
    }


    /** True when the front takes this trader's LOGIN over {@code channel}. */
    private static boolean loggedIn(TlcpSocket channel) throws java.io.IOException {
        return new FrontClient(channel.getInputStream(), channel.getOutputStream()).ask("LOGIN " + ACCOUNT)
                .equals("OK LOGIN " + ACCOUNT);
    }
}
