package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.testkit.SoftHsm;
import picocli.CommandLine;

/** {@code gmgate card init|status --type pkcs11} against real SoftHSM2 tokens. */
class CardCommandPkcs11Test {

    @TempDir
    static Path dir;

    static SoftHsm hsm;
    static long slot;
    static long untouchedSlot;
    static long configSlot;
    static Path pin;
    static Path wrongPin;

    @BeforeAll
    static void tokens() throws Exception {
        hsm = SoftHsm.startIfInstalled(dir);
        if (hsm == null) {
            return;
        }
        slot = hsm.initToken("cli");
        untouchedSlot = hsm.initToken("cli-never-logged-in");
        configSlot = hsm.initToken("from-config"); // SoftHSM2 sees only tokens made before its first C_Initialize
        pin = Files.writeString(dir.resolve("pin"), SoftHsm.USER_PIN + "\n");
        wrongPin = Files.writeString(dir.resolve("wrong-pin"), "not-the-pin\n");
    }

    @BeforeEach
    void softHsmInstalled() {
        SoftHsm.assumeInstalled(hsm);
    }

    @Test
    void initCreatesKek1OnceAndStatusPrintsTheAlgorithmReportWithItsFallbacks() {
        Result init = run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(0, init.exit, init.toString());
        assertTrue(init.out.contains("created kek-1v1 on pkcs11:card"), init.out);
        assertTrue(init.out.contains("SM4: fallback AES-256-GCM in the token [KEK wrap]"), init.out);

        Result again = run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(1, again.exit, again.toString());
        assertTrue(again.err.contains("KEY-024"), again.err);

        Result status = run("card", "status", "--type", "pkcs11", "--name", "hsm-a", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("card:   pkcs11:hsm-a"), status.out);
        assertTrue(status.out.contains("KEKs:   [kek-1v1]"), status.out);
        assertTrue(status.out.contains("  SM3: fallback HMAC-SHA256 in the token [MAC]"), status.out);
        assertTrue(status.out.contains("  SM2: unsupported by token"), status.out);
        assertTrue(status.out.contains("health: ok; SM4: fallback AES-256-GCM"), status.out);
        assertFalse(status.out.contains(SoftHsm.USER_PIN) || status.err.contains(SoftHsm.USER_PIN));
    }

    @Test
    void aWrongPinIsKey021AndAMissingModuleKey150() {
        Result wrong = run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(untouchedSlot), "--pin-file", wrongPin.toString());
        assertEquals(1, wrong.exit, wrong.toString());
        assertTrue(wrong.err.contains("KEY-021"), wrong.err);
        assertFalse(wrong.err.contains("not-the-pin"), wrong.err);

        Result noModule = run("card", "status", "--type", "pkcs11", "--library", dir.resolve("libnone.so").toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(1, noModule.exit, noModule.toString());
        assertTrue(noModule.err.contains("KEY-150"), noModule.err);
    }

    @Test
    void optionsThatDoNotFitTheTypeAreRefusedBeforeAnySecretIsRead() {
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString()).exit,
                "a slot is required");
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", "1", "--slot-index", "0").exit, "only one of slot and slot index");
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", "1", "--file", "x").exit, "--file belongs to the soft card");
    }

    @Test
    void theConfigurationFilesCardSectionOpensTheTokenAndSm2OnItIsRefusedWithKey025() throws Exception {
        Path config = Files.writeString(dir.resolve("gmgate.yaml"), "card:\n"
                + "  type: pkcs11\n"
                + "  name: hsm-cfg\n"
                + "  pkcs11Library: " + hsm.library() + "\n"
                + "  slot: " + configSlot + "\n"
                + "  passphraseFile: " + pin + "\n");
        GmgateConfig cfg = GmgateConfig.load(config);
        char[] secret = SoftHsm.USER_PIN.toCharArray();
        try (CipherCard card = Cards.open(cfg.card(), secret)) {
            assertEquals("pkcs11:hsm-cfg", card.name());
            assertTrue(card.algorithms().stream().anyMatch(a -> a.toString().startsWith("SM4: fallback AES-256-GCM")),
                    card.algorithms().toString());
            KekId kek = card.rotateKek(7);
            byte[] wrapped = card.wrap(kek, new byte[16]);
            assertEquals(16, card.unwrap(kek, wrapped).length);
        }

        // the policy key is an SM2 key in the card: a token that cannot do SM2 says so, no software key appears
        Result policy = run("policy", "key", "--config", config.toString());
        assertEquals(1, policy.exit, policy.toString());
        assertTrue(policy.err.contains("KEY-025"), policy.err);
        assertFalse(policy.out.contains("BEGIN PUBLIC KEY"), policy.out);
        assertFalse(policy.err.contains(SoftHsm.USER_PIN), policy.err);
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
