package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.ShareBinding.Purpose;

class ShareSealerTest {

    @TempDir
    Path dir;

    private SoftCipherCard card;
    private ShareSealer sealer;
    private final ShareBinding alice = new ShareBinding("alice", "pc-1", 7, Purpose.SIGN, 1);
    private final byte[] share = GmRandom.bytes(98);

    @BeforeEach
    void openCard() {
        card = SoftCipherCard.init(dir.resolve("card.bin"), "test passphrase".toCharArray());
        sealer = new ShareSealer(card, 1);
    }

    @AfterEach
    void closeCard() {
        card.close();
    }

    @Test
    void roundTripAndNoPlaintextInTheSealedForm() {
        SealedShare sealed = sealer.seal(alice, share);
        assertArrayEquals(share, sealer.open(alice, sealed));
        assertFalse(contains(sealed.ciphertext(), Arrays.copyOf(share, 16)));
        assertTrue(sealed.toString().contains("bytes"));
    }

    @Test
    void aShareMovedToAnotherRowFailsToOpen() {
        SealedShare sealed = sealer.seal(alice, share);
        for (ShareBinding other : new ShareBinding[] {
                new ShareBinding("bob", "pc-1", 7, Purpose.SIGN, 1),
                new ShareBinding("alice", "pc-2", 7, Purpose.SIGN, 1),
                new ShareBinding("alice", "pc-1", 8, Purpose.SIGN, 1),
                new ShareBinding("alice", "pc-1", 7, Purpose.ENCRYPT, 1),
                new ShareBinding("alice", "pc-1", 7, Purpose.SIGN, 2)}) {
            KeystoreException e = assertThrows(KeystoreException.class, () -> sealer.open(other, sealed), other.toString());
            assertEquals(KeystoreErrors.SHARE_INTEGRITY, e.errorCode());
        }
    }

    @Test
    void anyFlippedByteFailsWithKey100() {
        SealedShare sealed = sealer.seal(alice, share);
        byte[][] parts = {sealed.wrappedDataKey(), sealed.nonce(), sealed.ciphertext()};
        for (int p = 0; p < parts.length; p++) {
            for (int i = 0; i < parts[p].length; i += 7) {
                byte[][] copy = {sealed.wrappedDataKey(), sealed.nonce(), sealed.ciphertext()};
                copy[p][i] ^= 0x01;
                SealedShare bad = new SealedShare(sealed.kek(), copy[0], copy[1], copy[2]);
                KeystoreException e = assertThrows(KeystoreException.class, () -> sealer.open(alice, bad));
                assertEquals(KeystoreErrors.SHARE_INTEGRITY, e.errorCode());
            }
        }
    }

    @Test
    void rotationRewrapsUnderTheNewKekAndOldSealsStillOpen() {
        SealedShare old = sealer.seal(alice, share);
        KekId v2 = card.rotateKek(1);
        assertArrayEquals(share, sealer.open(alice, old));
        SealedShare rewrapped = sealer.rewrap(alice, old);
        assertEquals(v2, rewrapped.kek());
        assertArrayEquals(share, sealer.open(alice, rewrapped));
        assertEquals(rewrapped, sealer.rewrap(alice, rewrapped), "already current: nothing to do");
        assertEquals(v2, sealer.seal(alice, share).kek());
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(hay, i, i + needle.length), needle)) {
                return true;
            }
        }
        return false;
    }
}
