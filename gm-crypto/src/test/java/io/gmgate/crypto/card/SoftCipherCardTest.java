package io.gmgate.crypto.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.error.ErrorCode;

class SoftCipherCardTest {

    private static final char[] PASS = "correct horse".toCharArray();

    @TempDir
    Path dir;

    private SoftCipherCard newCard() {
        return SoftCipherCard.init(dir.resolve("card.bin"), PASS, 1000);
    }

    @Test
    void keysSurviveReopeningTheFile() {
        byte[] dataKey = new byte[16];
        Arrays.fill(dataKey, (byte) 7);
        byte[] wrapped;
        Sm2PublicKey signKey;
        try (SoftCipherCard card = newCard()) {
            wrapped = card.wrap(card.currentKek(1), dataKey);
            signKey = card.generateSm2Key(3);
        }
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("card.bin"), PASS)) {
            assertArrayEquals(dataKey, card.unwrap(new KekId(1, 1), wrapped));
            assertEquals(signKey, card.sm2PublicKey(3));
            byte[] e = Sm3.digest("order".getBytes(StandardCharsets.US_ASCII));
            Sm2Signature sig = card.sm2SignDigest(3, e);
            assertTrue(Sm2Signer.verifyDigest(signKey, new BigInteger(1, e), sig));
            byte[] secret = "pre-master".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(secret, card.sm2Decrypt(3, Sm2Cipher.encrypt(signKey, secret)));
            assertTrue(card.health().healthy());
        }
    }

    @Test
    void wrongPassphraseIsALoginFailure() {
        newCard().close();
        assertCode(CardErrors.LOGIN_FAILED,
                () -> SoftCipherCard.open(dir.resolve("card.bin"), "wrong".toCharArray()));
    }

    @Test
    void alteredOrForeignWrapsFailIntegrity() {
        try (SoftCipherCard card = newCard()) {
            KekId v1 = card.currentKek(1);
            byte[] wrapped = card.wrap(v1, new byte[16]);
            KekId v2 = card.rotateKek(1);
            byte[] flipped = wrapped.clone();
            flipped[flipped.length - 1] ^= 1;
            assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v1, flipped));
            assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v2, wrapped));
            assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v1, new byte[5]));
            assertCode(CardErrors.NO_SUCH_KEY, () -> card.unwrap(new KekId(9, 1), wrapped));
        }
    }

    @Test
    void rotationKeepsOldVersionsForUnwrapping() {
        byte[] wrapped;
        try (SoftCipherCard card = newCard()) {
            wrapped = card.wrap(card.currentKek(1), new byte[] {1, 2, 3});
            assertEquals(new KekId(1, 2), card.rotateKek(1));
            assertEquals(new KekId(1, 2), card.currentKek(1));
        }
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("card.bin"), PASS)) {
            assertEquals(new KekId(1, 2), card.currentKek(1));
            assertArrayEquals(new byte[] {1, 2, 3}, card.unwrap(new KekId(1, 1), wrapped));
        }
    }

    @Test
    void macsBindKeyAndData() {
        try (SoftCipherCard card = newCard()) {
            KekId v1 = card.currentKek(1);
            byte[] data = "audit record 1".getBytes(StandardCharsets.US_ASCII);
            byte[] mac = card.mac(v1, data);
            assertTrue(card.verifyMac(v1, data, mac));
            assertFalse(card.verifyMac(v1, "audit record 2".getBytes(StandardCharsets.US_ASCII), mac));
            assertFalse(card.verifyMac(card.rotateKek(1), data, mac));
        }
    }

    @Test
    void refusesToOverwriteAnExistingCardOrReuseAKeyIndex() {
        try (SoftCipherCard card = newCard()) {
            card.generateSm2Key(1);
            assertCode(CardErrors.KEY_EXISTS, () -> card.generateSm2Key(1));
        }
        assertCode(CardErrors.KEY_EXISTS, this::newCard);
    }

    /** The card is its file: the probe sees it vanish, change or be swapped, and recover when it is back. */
    @Test
    void aCardWhoseFileIsLostAlteredOrReplacedIsUnhealthy() throws IOException {
        Path file = dir.resolve("card.bin");
        try (SoftCipherCard card = newCard()) {
            Sm2PublicKey key = card.generateSm2Key(4);
            assertTrue(card.health().healthy(), card.health().detail());
            byte[] saved = Files.readAllBytes(file);

            Files.delete(file);
            assertFalse(card.health().healthy());
            assertTrue(card.health().detail().contains("gone or unreadable"), card.health().detail());
            assertEquals(key, card.sm2PublicKey(4), "keys in memory still answer: only the probe tells");

            byte[] altered = saved.clone();
            altered[altered.length - 1] ^= 1;
            Files.write(file, altered);
            assertTrue(card.health().detail().contains("altered"), card.health().detail());

            SoftCipherCard.init(dir.resolve("other.bin"), PASS, 1000).close();
            Files.copy(dir.resolve("other.bin"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue(card.health().detail().contains("replaced by another card"), card.health().detail());

            Files.write(file, saved);
            assertTrue(card.health().healthy(), "the same card file back: " + card.health().detail());
        }
    }

    @Test
    void aClosedCardFailsWithKeyErrorsAndIsUnhealthy() {
        SoftCipherCard card = newCard();
        card.close();
        assertCode(CardErrors.UNAVAILABLE, () -> card.random(8));
        assertCode(CardErrors.UNAVAILABLE, () -> card.currentKek(1));
        assertFalse(card.health().healthy());
    }

    @Test
    void theFileHoldsNoKeyInTheClearAndATruncatedFileIsRefused() throws IOException {
        Sm2PublicKey pub;
        try (SoftCipherCard card = newCard()) {
            pub = card.generateSm2Key(2);
        }
        Path file = dir.resolve("card.bin");
        byte[] bytes = Files.readAllBytes(file);
        byte[] x = Arrays.copyOfRange(pub.encoded(), 1, 33);
        assertFalse(contains(bytes, x), "the card file must be encrypted as a whole");
        Files.write(file, Arrays.copyOf(bytes, 30));
        CipherCardException e = assertThrows(CipherCardException.class, () -> SoftCipherCard.open(file, PASS));
        assertEquals("KEY", e.errorCode().subsystem(), e.getMessage());
    }

    @Test
    void toStringRedactsKeys() {
        try (SoftCipherCard card = newCard()) {
            assertTrue(card.toString().contains("redacted"));
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void assertCode(ErrorCode expected, Runnable body) {
        CipherCardException e = assertThrows(CipherCardException.class, body::run);
        assertEquals(expected, e.errorCode(), e.getMessage());
    }
}
