package io.gmgate.keystore.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;

/** The SDF place: a library found by name through ServiceLoader, driven as a cipher card. */
class SdfCipherCardTest {

    @TempDir
    Path dir;

    @Test
    void theNamedLibraryIsLoadedAndDrivesKeksAndSm2() throws Exception {
        Path file = dir.resolve("dev-card.gmc");
        SoftCipherCard.init(file, "sdf development card".toCharArray()).close();
        Path pass = Files.writeString(dir.resolve("pass"), "sdf development card\n");
        try (SdfCipherCard card = SdfCipherCard.load("soft", file + ":" + pass)) {
            assertEquals("sdf:soft", card.name());
            KekId kek = card.currentKek(1);
            byte[] key = card.random(16);
            assertArrayEquals(key, card.unwrap(kek, card.wrap(kek, key)));
            var pub = card.generateSm2Key(201);
            byte[] e = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32,
                    Sm2Signer.e(pub, Sm2Signer.DEFAULT_ID, "gateway".getBytes()));
            assertTrue(Sm2Signer.verifyDigest(pub, new java.math.BigInteger(1, e), card.sm2SignDigest(201, e)));
            assertTrue(card.health().healthy());
        }
    }

    @Test
    void anUninstalledVendorIsKey020() {
        CipherCardException e = assertThrows(CipherCardException.class, () -> SdfCipherCard.load("acme", ""));
        assertEquals(CardErrors.UNAVAILABLE, e.errorCode());
        assertTrue(e.getMessage().contains("no SDF library named 'acme'"));
    }
}
