package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShamirSharingTest {

    /** Shares that ShamirSharing wrote with its own GF(2^8) tables, before BouncyCastle's splitter replaced them. */
    private static final byte[] FIXTURE_SECRET = HexFormat.of().parseHex("00ff0102037f80fe1122334455667788");
    private static final List<ShamirSharing.Share> FIXTURE_SHARES = List.of(
            share(1, "b21da35c1403e86b9586eb329f11f401"),
            share(2, "4e576605568ef9c73a1eb98620c54d3e"),
            share(3, "fcb5c45b41f29152beba61f0eab2ceb7"),
            share(4, "58732fd65ea2e0aca7fdb8637a149f35"),
            share(5, "ea918d8849de883923596015b0631cbc"));

    private static ShamirSharing.Share share(int x, String hex) {
        return new ShamirSharing.Share(x, HexFormat.of().parseHex(hex));
    }

    @Test
    void sharesWrittenBeforeTheLibrarySwitchStillCombine() {
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    assertArrayEquals(FIXTURE_SECRET, ShamirSharing.combine(
                            List.of(FIXTURE_SHARES.get(a), FIXTURE_SHARES.get(c), FIXTURE_SHARES.get(b))));
                }
            }
        }
        assertFalse(Arrays.equals(FIXTURE_SECRET, ShamirSharing.combine(FIXTURE_SHARES.subList(0, 2))));
    }

    @Test
    void theFieldIsTheAesOne() {
        // Every random coefficient 0x80: y(x) = s + 0x80*(x + x^2). For x = 2, x + x^2 = 6 and in the
        // AES field (x^8+x^4+x^3+x+1) 0x80*6 = 0x1B ^ 0x36 = 0x2D (the 0x11D field would give 0x27).
        SecureRandom all0x80 = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0x80);
            }
        };
        List<ShamirSharing.Share> shares = ShamirSharing.split(new byte[] {0x57, 0x00}, 3, 3, all0x80);
        assertEquals(List.of(1, 2, 3), shares.stream().map(ShamirSharing.Share::x).toList());
        assertArrayEquals(new byte[] {0x57, 0x00}, shares.get(0).y());
        assertArrayEquals(new byte[] {0x57 ^ 0x2D, 0x2D}, shares.get(1).y());
        assertArrayEquals(new byte[] {0x57, 0x00}, ShamirSharing.combine(shares));
    }

    @Test
    void moreCustodiansThanSecretBytesAndQuorumsUpTo129Work() {
        byte[] secret = GmRandom.bytes(32);
        List<ShamirSharing.Share> shares = ShamirSharing.split(secret, 128, 255);
        assertEquals(255, shares.size());
        assertEquals(255, shares.get(254).x());
        assertEquals(32, shares.get(254).y().length);
        assertArrayEquals(secret, ShamirSharing.combine(shares.subList(127, 255)));
        assertArrayEquals(secret, ShamirSharing.combine(shares.subList(0, 129)));
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.combine(shares.subList(0, 130)));
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(secret, 130, 255));
        byte[] tiny = {42};
        assertArrayEquals(tiny, ShamirSharing.combine(ShamirSharing.split(tiny, 2, 9).subList(3, 5)));
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
