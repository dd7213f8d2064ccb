package io.gmgate.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;

/**
 * SM2 public-key encryption (GB/T 32918.4). The decryption half is split into {@link #open}, which
 * takes the shared point [d]C1 however it was obtained, so that two-party co-decryption ends in the
 * same checked code as a whole-key decryption.
 */
public final class Sm2Cipher {

    private Sm2Cipher() {
    }

    public static Sm2Ciphertext encrypt(Sm2PublicKey key, byte[] message) {
        if (message.length == 0) {
            throw new IllegalArgumentException("SM2 cannot encrypt an empty message");
        }
        while (true) {
            BigInteger k = Sm2Curve.randomScalar();
            ECPoint c1 = Sm2Curve.multiplyG(k);
            ECPoint shared = key.point().multiply(k).normalize();
            byte[] x2 = shared.getAffineXCoord().getEncoded();
            byte[] y2 = shared.getAffineYCoord().getEncoded();
            byte[] t = Sm2Kdf.derive(concat(x2, y2), message.length);
            if (allZero(t)) {
                continue; // GB/T 32918.4 §6.1 A5: retry with a new k
            }
            byte[] c2 = new byte[message.length];
            for (int i = 0; i < c2.length; i++) {
                c2[i] = (byte) (message[i] ^ t[i]);
            }
            byte[] c3 = Sm3.digest(x2, message, y2);
            Arrays.fill(t, (byte) 0);
            return new Sm2Ciphertext(c1, c3, c2);
        }
    }

    public static byte[] encrypt(Sm2PublicKey key, byte[] message, Sm2CiphertextLayout layout) {
        return encrypt(key, message).encode(layout);
    }

    public static byte[] decrypt(Sm2PrivateKey key, Sm2Ciphertext ct) {
        return open(ct, ct.c1().multiply(key.d()).normalize());
    }

    public static byte[] decrypt(Sm2PrivateKey key, byte[] raw, Sm2CiphertextLayout layout) {
        return decrypt(key, Sm2Ciphertext.decode(raw, layout));
    }

    /**
     * Completes a decryption given (x2, y2) = [d]C1: derives t, recovers M and checks C3
     * (GB/T 32918.4 §7.1 B3–B6). Fails with KEY-002 on any mismatch, without saying which step.
     */
    public static byte[] open(Sm2Ciphertext ct, ECPoint sharedPoint) {
        ECPoint shared = Sm2Curve.requireValidPoint(sharedPoint);
        byte[] x2 = shared.getAffineXCoord().getEncoded();
        byte[] y2 = shared.getAffineYCoord().getEncoded();
        byte[] c2 = ct.c2();
        byte[] t = Sm2Kdf.derive(concat(x2, y2), c2.length);
        if (allZero(t)) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM2 decryption failed");
        }
        byte[] m = new byte[c2.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (c2[i] ^ t[i]);
        }
        Arrays.fill(t, (byte) 0);
        if (!MessageDigest.isEqual(Sm3.digest(x2, m, y2), ct.c3())) {
            Arrays.fill(m, (byte) 0);
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM2 decryption failed");
        }
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean allZero(byte[] t) {
        int acc = 0;
        for (byte b : t) {
            acc |= b;
        }
        return acc == 0;
    }
}
