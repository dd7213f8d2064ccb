package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** SM3 (GB/T 32905 annex A), SM4 (GB/T 32907 annex A), HMAC-SM3 and PBKDF2-HMAC-SM3. */
class SymmetricVectorsTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sm3Abc() {
        assertArrayEquals(Hex.decode("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
                Sm3.digest(ascii("abc")));
    }

    @Test
    void sm3SixtyFourBytes() {
        assertArrayEquals(Hex.decode("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
                Sm3.digest(ascii("abcd".repeat(16))));
        // Split input hashes the same as one piece.
        assertArrayEquals(Sm3.digest(ascii("abcd".repeat(16))), Sm3.digest(ascii("abcd".repeat(5)), ascii("abcd".repeat(11))));
    }

    private static final byte[] SM4_KEY = Hex.decode("0123456789abcdeffedcba9876543210");

    @Test
    void aRunningSm3TellsTheDigestOfEachPrefixAndGoesOn() {
        Sm3.Running running = new Sm3.Running();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int piece = 0; piece < 40; piece++) {
            byte[] bytes = ascii("x".repeat(piece * 7 % 97));
            running.update(bytes);
            all.writeBytes(bytes);
            assertArrayEquals(Sm3.digest(all.toByteArray()), running.digestSoFar(), "after piece " + piece);
        }
        assertArrayEquals(running.digestSoFar(), running.digestSoFar());
    }

    @Test
    void sm4OneBlock() {
        byte[] ct = Sm4.ecb(true, SM4_KEY, SM4_KEY);
        assertArrayEquals(Hex.decode("681edf34d206965e86b3e94f536e4246"), ct);
        assertArrayEquals(SM4_KEY, Sm4.ecb(false, SM4_KEY, ct));
    }

    @Test
    void sm4AMillionTimes() {
        byte[] block = SM4_KEY.clone();
        for (int i = 0; i < 1_000_000; i++) {
            block = Sm4.ecb(true, SM4_KEY, block);
        }
        assertArrayEquals(Hex.decode("595298c7c6fd271f0402f804c33d3f66"), block);
    }

    @Test
    void sm4CbcAndGcmRoundTripAndGcmRefusesTampering() {
        byte[] key = GmRandom.bytes(16);
        byte[] iv = GmRandom.bytes(16);
        byte[] msg = ascii("thirty-three bytes of plain text!");
        assertArrayEquals(msg, Sm4.cbcPkcs7Decrypt(key, iv, Sm4.cbcPkcs7Encrypt(key, iv, msg)));
        byte[] blocks = Arrays.copyOf(msg, 32);
        assertArrayEquals(blocks, Sm4.cbc(false, key, iv, Sm4.cbc(true, key, iv, blocks)));

        byte[] nonce = GmRandom.bytes(12);
        byte[] aad = ascii("row 42 v1");
        byte[] sealed = Sm4.gcmEncrypt(key, nonce, aad, msg);
        assertEquals(msg.length + Sm4.GCM_TAG_BYTES, sealed.length);
        assertArrayEquals(msg, Sm4.gcmDecrypt(key, nonce, aad, sealed));
        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> Sm4.gcmDecrypt(key, nonce, ascii("row 43 v1"), sealed));
        assertEquals(CryptoErrors.DECRYPT_FAILED, e.errorCode());
        sealed[0] ^= 1;
        assertThrows(GmCryptoException.class, () -> Sm4.gcmDecrypt(key, nonce, aad, sealed));
    }

    @Test
    void hmacSm3MatchesBouncyCastleAndTheRfc2104Construction() {
        for (int keyLen : new int[] {1, 16, 64, 65, 100}) {
            byte[] key = GmRandom.bytes(keyLen);
            byte[] msg = GmRandom.bytes(77);
            HMac bc = new HMac(new SM3Digest());
            bc.init(new KeyParameter(key));
            bc.update(msg, 0, msg.length);
            byte[] expected = new byte[32];
            bc.doFinal(expected, 0);
            assertArrayEquals(expected, Sm3.hmac(key, msg), "key length " + keyLen);
            assertArrayEquals(expected, rfc2104(key, msg), "key length " + keyLen);
        }
    }

    /** HMAC straight from RFC 2104 with SM3's 64-byte block. */
    private static byte[] rfc2104(byte[] key, byte[] msg) {
        byte[] k = Arrays.copyOf(key.length > 64 ? Sm3.digest(key) : key, 64);
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            ipad[i] = (byte) (k[i] ^ 0x36);
            opad[i] = (byte) (k[i] ^ 0x5c);
        }
        return Sm3.digest(opad, Sm3.digest(ipad, msg));
    }

    @Test
    void pbkdf2Sm3MatchesBouncyCastleAndRfc8018() {
        char[] pin = "123456".toCharArray();
        byte[] salt = GmRandom.bytes(16);
        byte[] ours = Pbkdf2Sm3.derive(pin, salt, 1000, 48);

        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SM3Digest());
        gen.init(ascii("123456"), salt, 1000);
        assertArrayEquals(((KeyParameter) gen.generateDerivedParameters(48 * 8)).getKey(), ours);

        // RFC 8018 §5.2 by hand: T_i = U_1 ^ ... ^ U_c, U_1 = PRF(P, S‖INT(i)).
        byte[] expected = new byte[48];
        for (int block = 1; block <= 2; block++) {
            byte[] u = Sm3.hmac(ascii("123456"), salt, new byte[] {0, 0, 0, (byte) block});
            byte[] t = u.clone();
            for (int c = 1; c < 1000; c++) {
                u = Sm3.hmac(ascii("123456"), u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, expected, (block - 1) * 32, Math.min(32, 48 - (block - 1) * 32));
        }
        assertArrayEquals(expected, ours);
        assertFalse(Arrays.equals(ours, Pbkdf2Sm3.derive("123457".toCharArray(), salt, 1000, 48)));
    }
}
