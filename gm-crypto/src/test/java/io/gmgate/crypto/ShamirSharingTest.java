package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShamirSharingTest {

    @Test
    void fieldArithmeticMatchesTheAesField() {
        assertEquals(0xC1, ShamirSharing.mul(0x57, 0x83)); // FIPS-197 §4.2 example
        for (int a = 1; a < 256; a++) {
            assertEquals(1, ShamirSharing.mul(a, ShamirSharing.div(1, a)), "inverse of " + a);
        }
    }

    @Test
    void everySubsetOfMOfNRecoversTheSecret() {
        byte[] secret = GmRandom.bytes(32);
        List<ShamirSharing.Share> shares = ShamirSharing.split(secret, 3, 5);
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    assertArrayEquals(secret, ShamirSharing.combine(List.of(shares.get(c), shares.get(a), shares.get(b))));
                }
            }
        }
        assertArrayEquals(secret, ShamirSharing.combine(shares));
    }

    @Test
    void fewerThanMOrATamperedShareDoNotRecoverIt() {
        byte[] secret = GmRandom.bytes(32);
        List<ShamirSharing.Share> shares = ShamirSharing.split(secret, 3, 5);
        assertFalse(Arrays.equals(secret, ShamirSharing.combine(shares.subList(0, 2))));
        List<ShamirSharing.Share> tampered = new ArrayList<>(shares.subList(0, 3));
        byte[] y = tampered.get(1).y();
        y[0] ^= 1;
        tampered.set(1, new ShamirSharing.Share(tampered.get(1).x(), y));
        byte[] wrong = ShamirSharing.combine(tampered);
        assertFalse(Arrays.equals(secret, wrong));
        assertArrayEquals(Arrays.copyOfRange(secret, 1, 32), Arrays.copyOfRange(wrong, 1, 32),
                "a flipped byte changes only its own position: detection belongs to the backup's MAC");
    }

    @Test
    void refusesBadParametersAndDuplicateShares() {
        byte[] secret = GmRandom.bytes(16);
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(secret, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(secret, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(secret, 2, 256));
        List<ShamirSharing.Share> shares = ShamirSharing.split(secret, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.combine(List.of(shares.get(0), shares.get(0))));
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.combine(List.of(shares.get(0))));
        assertThrows(IllegalArgumentException.class, () -> new ShamirSharing.Share(0, new byte[1]));
    }

    @Test
    void sharesDoNotPrintTheirBytes() {
        assertFalse(ShamirSharing.split(GmRandom.bytes(8), 2, 2).get(0).toString().matches(".*[0-9a-f]{8}.*"));
    }
}
