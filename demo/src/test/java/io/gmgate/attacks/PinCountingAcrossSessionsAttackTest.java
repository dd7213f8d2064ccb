package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.SdkErrors;

/**
 * docs/security.md, "The PIN and co-signing": confirming an old attempt forgave every later failure, another session's included,
 * so a thief with a copy of the store and the password got fresh guesses by replaying a confirmation.
 * Now a confirmation forgives only the tries counted up to the attempt it confirms (the right PIN was
 * used then, as a card forgives its failures on a correct PIN), the SDK confirms each co-signature at
 * once, and one mistyped PIN costs exactly one try ("5 tries left"). So the thief gets at most six
 * guesses in a row, and a trader's mistyped login is forgiven by his next correct one.
 */
class PinCountingAcrossSessionsAttackTest {

    private static final char[] PIN = "580246".toCharArray();
    private static final char[] PASSWORD = "Count-Passw0rd-1".toCharArray();

    @TempDir
    static Path dir;

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static void wrongGuess(GmgateClient thief, String guess, long expectTriesLeft) {
        GmgateClient.Session s = thief.login(PASSWORD, guess.toCharArray());
        GmgateException e = assertThrows(GmgateException.class, () -> s.sign("BUY".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(SdkErrors.WRONG_PIN, e.errorCode(), e.getMessage());
        assertTrue(e.getMessage().contains(expectTriesLeft + " tries left"), guess + ": " + e.getMessage());
    }

    @Test
    void aMistypedLoginIsForgivenByTheNextCorrectOne() throws Exception {
        site.addTrader("8300302", PASSWORD);
        GmgateClient trader = PinAttackKit.terminal(site, dir.resolve("mistyping"));
        trader.enroll("8300302", PASSWORD, "desk", PIN);
        wrongGuess(trader, "000000", 5);
        try (GmgateClient.Session right = trader.login(PASSWORD, PIN)) {
            right.sign("BUY 1".getBytes(StandardCharsets.US_ASCII));
            assertEquals(6, right.status().number("pinTriesLeft"), "the right PIN forgives the earlier mistype");
        }
    }

    @Test
    void theThiefGetsSixGuessesInARowAndNoMore() throws Exception {
        site.addTrader("8300301", PASSWORD);
        GmgateClient trader = PinAttackKit.terminal(site, dir.resolve("trader"));
        trader.enroll("8300301", PASSWORD, "desk", PIN);
        Path copy = dir.resolve("thief");
        Files.createDirectories(copy);
        Files.copy(dir.resolve("trader").resolve("device.gms"), copy.resolve("device.gms"), StandardCopyOption.REPLACE_EXISTING);
        GmgateClient thief = PinAttackKit.terminal(site, copy);

        try (GmgateClient.Session honest = trader.login(PASSWORD, PIN)) {
            byte[] order = "BUY 1".getBytes(StandardCharsets.US_ASCII);
            honest.sign(order);
            assertEquals(6, honest.status().number("pinTriesLeft"), "confirmed at once: nothing pending");
            // the trader's confirmations all came before these guesses: none of them forgives one
            wrongGuess(thief, "000000", 5); // one mistyped PIN is one try, not two
            wrongGuess(thief, "111111", 4);
            wrongGuess(thief, "222222", 3);
            wrongGuess(thief, "333333", 2);
            wrongGuess(thief, "444444", 1);
            wrongGuess(thief, "555555", 0);
            GmgateException locked = assertThrows(GmgateException.class, () -> thief.login(PASSWORD, "666666".toCharArray()));
            assertEquals("COSIGN-141", locked.errorCode().code(), "the seventh try locks: " + locked.getMessage());
            GmgateException traderToo = assertThrows(GmgateException.class, () -> honest.sign(order));
            assertEquals("COSIGN-141", traderToo.errorCode().code(), traderToo.getMessage());
        }
        // the trader resets the PIN (password re-checked, old PIN proven) and trades again
        char[] newPin = "135802".toCharArray();
        trader.resetPin(PASSWORD, PIN, newPin);
        try (GmgateClient.Session after = trader.login(PASSWORD, newPin)) {
            byte[] order = "after the reset".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(after.signCertificate(), order, after.sign(order)));
            assertEquals(6, after.status().number("pinTriesLeft"));
        }
        GmgateException stale = assertThrows(GmgateException.class, () -> thief.login(PASSWORD, PIN).sign("x".getBytes()));
        assertTrue(java.util.Set.of("COSIGN-143", SdkErrors.WRONG_PIN.code()).contains(stale.errorCode().code()),
                "the thief's copy is dead after the reset: " + stale.errorCode() + " " + stale.getMessage());
    }
}
