package io.gmgate.keystore.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * The PKCS#11 card against a real SoftHSM2 token (installed by .ci/install-softhsm.sh). The token
 * lives under target/ — SOFTHSM2_CONF is set for the test JVM by this module's surefire config.
 */
class Pkcs11CipherCardTest {

    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static Pkcs11Settings settings;

    @BeforeAll
    static void token() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        assertTrue(conf != null && Files.isReadable(Path.of(LIBRARY)),
                "SoftHSM2 and SOFTHSM2_CONF are required: run .ci/install-softhsm.sh (run-tests does)");
        Path tokens = Path.of(conf).getParent().resolve("tokens");
        Files.createDirectories(tokens);
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens.toAbsolutePath() + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\n");
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "gmgate-test-" + System.nanoTime(),
                "--pin", "123456", "--so-pin", "654321").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        int slot = slotIndex(out);
        settings = new Pkcs11Settings("softhsm", LIBRARY, slot, "123456".toCharArray());
    }

    /** The new token's position in the slot list: SoftHSM appends it after the ones already made. */
    private static int slotIndex(String initOutput) throws Exception {
        Process p = new ProcessBuilder("softhsm2-util", "--show-slots").redirectErrorStream(true).start();
        String slots = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        long initialised = slots.lines().filter(l -> l.contains("Token initialized:") && l.contains("yes")).count();
        return (int) initialised - 1;
    }

    @Test
    void keksWrapUnwrapMacAndRotateInsideTheToken() {
        Pkcs11CipherCard card = Pkcs11CipherCard.open(settings);
        KekId first = card.rotateKek(7);
        assertEquals(first, card.currentKek(7));
        byte[] dataKey = card.random(16);
        byte[] wrapped = card.wrap(first, dataKey);
        assertArrayEquals(dataKey, card.unwrap(first, wrapped));
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;
        CipherCardException e = assertThrows(CipherCardException.class, () -> card.unwrap(first, tampered));
        assertEquals(CardErrors.INTEGRITY, e.errorCode());

        byte[] mac = card.mac(first, new byte[] {1, 2, 3});
        assertTrue(card.verifyMac(first, new byte[] {1, 2, 3}, mac));
        assertFalse(card.verifyMac(first, new byte[] {1, 2, 4}, mac));

        KekId second = card.rotateKek(7);
        assertEquals(2, second.version());
        assertEquals(second, card.currentKek(7));
        assertArrayEquals(dataKey, card.unwrap(first, wrapped), "old versions stay until re-wrap is done");
        assertNotEquals(List.of(), card.keks());
        assertTrue(card.health().healthy(), card.health().toString());
    }

    @Test
    void theFallbacksAreStatedAndSm2IsRefusedNotFaked() {
        Pkcs11CipherCard card = Pkcs11CipherCard.open(settings);
        assertTrue(card.algorithms().stream().anyMatch(a -> a.contains("fallback AES-256-GCM")), card.algorithms().toString());
        assertEquals(CardErrors.UNSUPPORTED, assertThrows(CipherCardException.class, () -> card.generateSm2Key(201)).errorCode());
        assertEquals(CardErrors.UNSUPPORTED, assertThrows(CipherCardException.class, () -> card.sm2SignDigest(201, new byte[32]))
                .errorCode());
    }

    @Test
    void aWrongPinOrAMissingLibraryIsAKeyCode() {
        CipherCardException wrong = assertThrows(CipherCardException.class, () -> Pkcs11CipherCard.open(
                new Pkcs11Settings("softhsm-wrong", LIBRARY, settings.slotListIndex(), "000000".toCharArray())));
        assertEquals(CardErrors.LOGIN_FAILED, wrong.errorCode());
        CipherCardException missing = assertThrows(CipherCardException.class, () -> Pkcs11CipherCard.open(
                new Pkcs11Settings("nowhere", "/usr/lib/no-such-pkcs11.so", 0, "1".toCharArray())));
        assertEquals(CardErrors.UNAVAILABLE, missing.errorCode());
        assertFalse(missing.getMessage().contains("123456"));
    }
}
