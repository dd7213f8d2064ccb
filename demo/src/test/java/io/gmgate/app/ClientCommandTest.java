package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.ports.ReservedPort;
import picocli.CommandLine;

/**
 * gmgate client against a whole demo site, one subcommand per scenario of docs/terminal.md; each test
 * has its own account, device store and terminal file.
 */
class ClientCommandTest {

    private static DemoSite site;
    @TempDir
    static Path dir;
    private static Path roots;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        roots = Files.writeString(dir.resolve("roots.pem"), GmPem.toPem(site.root()));
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    /** One trader's terminal: its file, store and secret files. */
    record Terminal(String account, Path config, Path store, Path password, Path pin) {
        String[] with(String... args) {
            String[] s = {"--config", config.toString(), "--password-file", password.toString(), "--pin-file", pin.toString()};
            String[] out = Arrays.copyOf(args, args.length + s.length);
            System.arraycopy(s, 0, out, args.length, s.length);
            return out;
        }

        DeviceRecord record() {
            return LocalStore.open(store).require();
        }
    }

    private static Terminal terminal(String account, String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(account + "-" + name));
        Path store = home.resolve("store");
        Path config = Files.writeString(home.resolve("terminal.yaml"), String.join("\n",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: '" + roots + "'",
                "  store: store",
                "  pinIterations: 10000", ""));
        return new Terminal(account, config, store, Files.writeString(home.resolve("password"), "Passw0rd-" + account + "\n"),
                Files.writeString(home.resolve("pin"), "112233\n"));
    }

    private static Terminal enrolled(String account) throws Exception {
        site.addTrader(account, ("Passw0rd-" + account).toCharArray());
        Terminal t = terminal(account, "desk");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "enroll", "--account", account, "--device", "desk-1")), out.toString());
        assertTrue(out.toString().startsWith("enrolled " + account + "/desk-1: sign certificate "), out.toString());
        return t;
    }

    static int run(StringWriter out, String... args) {
        return run(CommandLine.defaultFactory(), out, args);
    }

    static int run(CommandLine.IFactory factory, StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine(factory);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private static String signature(Terminal t, Path file) {
        StringWriter sign = new StringWriter();
        assertEquals(0, run(sign, t.with("client", "sign", "--in", file.toString())), sign.toString());
        return sign.toString().trim();
    }

    @Test
    void enrolStatusSignVerifyAndAWrongPin() throws Exception {
        Terminal t = enrolled("8009876");
        Path order = Files.writeString(dir.resolve("order.txt"), "BUY IF2612 2 @ 3900");
        String signature = signature(t, order);

        Path cert = Files.writeString(dir.resolve("cert.pem"), GmPem.toPem(GmPem.certificateFromDer(t.record().signChain().get(0))));
        StringWriter verify = new StringWriter();
        assertEquals(0, run(verify, "client", "verify", "--cert", cert.toString(), "--in", order.toString(), "--signature", signature),
                verify.toString());
        assertTrue(verify.toString().contains("signature OK"));
        Path changed = Files.writeString(dir.resolve("order2.txt"), "BUY IF2612 20 @ 3900");
        assertEquals(1, run(new StringWriter(), "client", "verify", "--cert", cert.toString(), "--in", changed.toString(),
                "--signature", signature));

        StringWriter status = new StringWriter();
        assertEquals(0, run(status, t.with("client", "status")), status.toString());
        assertTrue(status.toString().contains("\"account\" : \"8009876\"") && status.toString().contains("\"windowOpen\" : true"),
                status.toString());

        Path wrongPin = Files.writeString(dir.resolve("wrong"), "999999\n");
        StringWriter wrong = new StringWriter();
        assertEquals(1, run(wrong, "client", "sign", "--in", order.toString(), "--config", t.config().toString(),
                "--password-file", t.password().toString(), "--pin-file", wrongPin.toString()), wrong.toString());
        assertTrue(wrong.toString().contains("gmgate: CERT-403 ") && wrong.toString().contains("  action: enter the PIN again"),
                wrong.toString());
    }

    @Test
    void connectPipesStdinThroughTheTwoWayChannelLikeSClient() throws Exception {
        Terminal t = enrolled("8009877");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof ClientCommand.Connect c) {
                    c.stdin = new ByteArrayInputStream("LOGIN 8009877\nORDER c1 sc2612 BUY 1 MARKET\nPOSITIONS\nCANCEL O0\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    c.stdout = stdout;
                }
                return k;
            }
        };
        StringWriter err = new StringWriter();
        assertEquals(0, run(factory, err, t.with("client", "connect", "--linger", "3000")), err.toString());
        assertTrue(err.toString().contains("connected to ") && err.toString().contains("ECC_SM4_GCM_SM3"), err.toString());
        String answers = stdout.toString(StandardCharsets.US_ASCII);
        assertTrue(answers.matches("OK LOGIN 8009877\nACK 8009877 (O\\d+) c1\nFILL \\1 1 3500\nPOSITION sc2612 1\nEND POSITIONS\n"
                + "ERR FRONT-313 O0 not open\n"), answers);
    }

    @Test
    void decryptOpensWhatWasSentToTheEncryptionCertificate() throws Exception {
        Terminal t = enrolled("8009878");
        byte[] secret = "daily settlement statement key".getBytes(StandardCharsets.UTF_8);
        var encCert = GmPem.certificateFromDer(t.record().encCertificate().orElseThrow());
        Path in = Files.write(dir.resolve("statement.sm2"), Sm2Cipher.encrypt(GmPem.publicKey(encCert), secret).toDer());
        Path plain = dir.resolve("statement.txt");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "decrypt", "--in", in.toString(), "--out", plain.toString())), out.toString());
        assertArrayEquals(secret, Files.readAllBytes(plain));
    }

    @Test
    void renewOnlineAndResumeAHalfDoneRenewalWithTheStoredCode() throws Exception {
        Terminal fresh = enrolled("8009879");
        String before = GmPem.certificateFromDer(fresh.record().signChain().get(0)).getSerialNumber().toString(16);
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, fresh.with("client", "renew")), out.toString());
        assertTrue(out.toString().startsWith("renewed: sign certificate "), out.toString());
        assertNotEquals(before, GmPem.certificateFromDer(fresh.record().signChain().get(0)).getSerialNumber().toString(16));

        // A renewal that stopped after its code was stored (docs/ca-client.md, "Renewal"): the code is all that is left of it.
        Terminal halfway = enrolled("8009880");
        GmgateClient c = new GmgateClient(GmgateClient.Options.of(java.util.List.of(
                new io.gmgate.policy.Endpoint("sh", "127.0.0.1", site.enrolmentPort())), java.util.List.of(), java.util.List.of(site.root()),
                halfway.store()));
        DeviceRecord r = halfway.record();
        try (GmgateClient.Session s = c.login(("Passw0rd-8009880").toCharArray(), "112233".toCharArray())) {
            String code = s.cosign().call("renew/start", Map.of("keyId", Long.parseLong(r.signKey().orElseThrow().keyId())))
                    .string("renewalCode");
            c.store().save(r.withRenewalCode(Optional.of(code)));
        }
        StringWriter resumed = new StringWriter();
        assertEquals(0, run(resumed, halfway.with("client", "renew")), resumed.toString());
        assertTrue(resumed.toString().startsWith("renewal resumed and finished: sign certificate "), resumed.toString());
        assertTrue(halfway.record().renewalCode().isEmpty(), "the code is cleared once the renewal is done");
        assertNotEquals(GmPem.certificateFromDer(r.signChain().get(0)).getSerialNumber(),
                GmPem.certificateFromDer(halfway.record().signChain().get(0)).getSerialNumber());
    }

    @Test
    void resetPinMakesTheOldPinUseless() throws Exception {
        Terminal t = enrolled("8009881");
        Path newPin = Files.writeString(dir.resolve("new-pin-8009881"), "135790\n");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "reset-pin", "--new-pin-file", newPin.toString())), out.toString());
        Path order = Files.writeString(dir.resolve("o-8009881"), "BUY 1");
        StringWriter old = new StringWriter();
        assertEquals(1, run(old, t.with("client", "sign", "--in", order.toString())), old.toString());
        assertTrue(old.toString().contains("CERT-403"), old.toString());
        StringWriter ok = new StringWriter();
        assertEquals(0, run(ok, "client", "sign", "--in", order.toString(), "--config", t.config().toString(),
                "--password-file", t.password().toString(), "--pin-file", newPin.toString()), ok.toString());
    }

    @Test
    void addDeviceWritesAWorkingStoreForTheNewDeviceWithTheSameCertificate() throws Exception {
        Terminal t = enrolled("8009882");
        Terminal laptop = terminal("8009882", "laptop");
        Path laptopPin = Files.writeString(dir.resolve("laptop-pin"), "864200\n");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "add-device", "--new-device", "laptop-2", "--to", laptop.store().toString(),
                "--new-pin-file", laptopPin.toString())), out.toString());
        assertTrue(out.toString().startsWith("device 8009882/laptop-2 added"), out.toString());
        assertEquals(t.record().signChain().get(0).length, laptop.record().signChain().get(0).length);
        assertArrayEquals(t.record().signChain().get(0), laptop.record().signChain().get(0), "the certificate is reused");

        Path order = Files.writeString(dir.resolve("o-8009882"), "SELL 2");
        StringWriter sign = new StringWriter();
        assertEquals(0, run(sign, "client", "sign", "--in", order.toString(), "--config", laptop.config().toString(),
                "--password-file", t.password().toString(), "--pin-file", laptopPin.toString()), sign.toString());
        Path cert = Files.writeString(dir.resolve("cert-8009882.pem"), GmPem.toPem(GmPem.certificateFromDer(t.record().signChain().get(0))));
        assertEquals(0, run(new StringWriter(), "client", "verify", "--cert", cert.toString(), "--in", order.toString(),
                "--signature", sign.toString().trim()));
        assertTrue(signature(t, order).length() > 0, "the first device keeps working");

        StringWriter again = new StringWriter();
        assertEquals(2, run(again, t.with("client", "add-device", "--new-device", "laptop-3", "--to", laptop.store().toString(),
                "--new-pin-file", laptopPin.toString())), again.toString());
        assertTrue(again.toString().contains("already holds a device store"), again.toString());
    }

    @Test
    void lockRefusesCoSigningUntilTheTraderUnlocks() throws Exception {
        Terminal t = enrolled("8009883");
        Path order = Files.writeString(dir.resolve("o-8009883"), "BUY 3");
        StringWriter lock = new StringWriter();
        assertEquals(0, run(lock, t.with("client", "lock", "--reason", "left the laptop on a train")), lock.toString());
        assertTrue(lock.toString().contains("SIGN key") && lock.toString().contains("LOCKED (USER)"), lock.toString());
        StringWriter refused = new StringWriter();
        assertEquals(1, run(refused, t.with("client", "sign", "--in", order.toString())), refused.toString());
        assertTrue(refused.toString().contains("COSIGN-142") && refused.toString().contains("action: "), refused.toString());
        StringWriter unlock = new StringWriter();
        assertEquals(0, run(unlock, t.with("client", "unlock")), unlock.toString());
        assertTrue(unlock.toString().contains("ACTIVE"), unlock.toString());
        assertTrue(signature(t, order).length() > 0);
    }

    @Test
    void passwordChangeRetiresTheOldPassword() throws Exception {
        Terminal t = enrolled("8009884");
        Path fresh = Files.writeString(dir.resolve("pw-8009884"), "N3w-Passw0rd-8009884\n");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "password", "--new-password-file", fresh.toString())), out.toString());
        StringWriter old = new StringWriter();
        assertEquals(1, run(old, t.with("client", "status")), old.toString());
        assertTrue(old.toString().contains("COSIGN-110"), old.toString());
        StringWriter now = new StringWriter();
        assertEquals(0, run(now, "client", "status", "--config", t.config().toString(), "--password-file", fresh.toString(),
                "--pin-file", t.pin().toString()), now.toString());
    }

    @Test
    void revokingTheDeviceDestroysItsShares() throws Exception {
        Terminal t = enrolled("8009885");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, t.with("client", "revoke", "--scope", "device", "--reason", "keyCompromise")), out.toString());
        assertTrue(out.toString().startsWith("revoked (device): "), out.toString());
        Path order = Files.writeString(dir.resolve("o-8009885"), "BUY 5");
        StringWriter after = new StringWriter();
        assertEquals(1, run(after, t.with("client", "sign", "--in", order.toString())), after.toString());
        assertTrue(after.toString().matches("(?s).*gmgate: COSIGN-14[03] .*action: .*"), after.toString());
    }

    @Test
    void aSignedPolicyGivesTheEndpointsAndAForgedOneIsIgnoredWithAWarning() throws Exception {
        Terminal t = enrolled("8009887");
        Sm2PrivateKey firm = Sm2PrivateKey.generate();
        Path key = Files.writeString(dir.resolve("policy-key.pem"), GmPem.publicKeyToPem(firm.publicKey()));
        java.time.Instant now = java.time.Instant.now();
        AccessPolicy policy = new AccessPolicy(3, now.minusSeconds(60), now.plusSeconds(3600), AccessPolicy.Mode.NORMAL,
                java.util.List.of(new io.gmgate.policy.Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                java.util.List.of(new io.gmgate.policy.Endpoint("sh", "127.0.0.1", site.tradingPort())), java.util.List.of());
        Path good = Files.write(dir.resolve("good.policy"), SignedPolicy.sign(policy, Sm2SignKey.of(firm)));
        Path forged = Files.write(dir.resolve("forged.policy"), SignedPolicy.sign(policy, Sm2SignKey.of(Sm2PrivateKey.generate())));
        int dead = ReservedPort.forThisJvm(); // nothing listens there, and nothing else will
        // the file's endpoints are stale (a node that moved); the firm's policy names the live ones
        String stale = Files.readString(t.config()).replace("port: " + site.enrolmentPort(), "port: " + dead)
                .replace("port: " + site.tradingPort(), "port: " + dead).replace("  store: store", "  store: '" + t.store() + "'")
                + "  policyKey: " + key + "\n";
        Path withPolicy = Files.writeString(dir.resolve("policy.yaml"), stale + "  policy: " + good + "\n");
        StringWriter ok = new StringWriter();
        assertEquals(0, run(ok, "client", "status", "--config", withPolicy.toString(), "--password-file", t.password().toString(),
                "--pin-file", t.pin().toString()), ok.toString());
        assertTrue(t.record().accessPolicy().isPresent(), "the device keeps the policy it accepted");

        Path withForged = Files.writeString(dir.resolve("forged.yaml"), stale + "  policy: " + forged + "\n");
        StringWriter refused = new StringWriter();
        assertEquals(1, run(refused, "client", "status", "--config", withForged.toString(), "--password-file",
                t.password().toString(), "--pin-file", t.pin().toString()), refused.toString());
        assertTrue(refused.toString().contains("gmgate: warning: MODE-400 ") && refused.toString().contains("keeping the endpoints in the file")
                && refused.toString().contains("NET-400"), refused.toString());
    }

    @Test
    void beforeEnrolmentAndWithoutRootsTheFailureNamesItsCodeAndAction() throws Exception {
        Terminal t = terminal("8009886", "new");
        Path order = Files.writeString(dir.resolve("o-8009886"), "BUY 6");
        StringWriter none = new StringWriter();
        assertEquals(1, run(none, t.with("client", "sign", "--in", order.toString())), none.toString());
        assertTrue(none.toString().contains("gmgate: CERT-402 ") && none.toString().contains("action: apply for a certificate first"),
                none.toString());

        Path noRoots = Files.writeString(dir.resolve("no-roots.yaml"), Files.readString(t.config())
                .replace(roots.toString(), dir.resolve("missing.pem").toString()));
        StringWriter missing = new StringWriter();
        assertEquals(1, run(missing, "client", "status", "--config", noRoots.toString(), "--password-file", t.password().toString(),
                "--pin-file", t.pin().toString()), missing.toString());
        assertTrue(missing.toString().contains("CERT-405") && missing.toString().contains("install the firm's current root"),
                missing.toString());

        Path typo = Files.writeString(dir.resolve("typo.yaml"), Files.readString(t.config()).replace("  store: store", "  store: store\n  conectTimeout: 3s"));
        StringWriter bad = new StringWriter();
        assertEquals(2, run(bad, "client", "status", "--config", typo.toString()), bad.toString());
        assertTrue(bad.toString().contains("client.conectTimeout is not a known setting"), bad.toString());
    }
}
