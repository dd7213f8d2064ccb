package io.gmgate.crypto.twoparty;

import java.math.BigInteger;
import java.util.Arrays;

import io.gmgate.crypto.Pbkdf2Sm3;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * How a terminal keeps its share d1 at rest (design §11): d1 + m mod n. Every PIN, right or wrong,
 * unmasks to some valid scalar and nothing stored tells them apart (no MAC, no transcript).
 *
 * <p>Two masks exist. The current one, {@link #maskWithOprf}, takes m from {@link PinOprf}: it needs
 * the cosign server's evaluation over the PIN, which the server counts, so the store, the password and
 * any number of server answers give no offline PIN test. The old one, {@link #mask} (PBKDF2 over the
 * PIN alone), <b>can</b> be tested offline: any co-signing answer gives P2 = [d2^-1]G to whoever chose
 * k1, and a guess is right when [d1^-1]P2 − G == P. It is kept only to read stores written before the
 * OPRF, which the SDK re-masks at their next login.
 */
public final class PinMaskedShare {

    /** 48 bytes reduced mod n: the bias of the reduction is below 2^-128. */
    private static final int MASK_BYTES = 48;

    private PinMaskedShare() {
    }

    /** The 32-byte masked share. {@code context} separates keys (e.g. account, device, key id). */
    public static byte[] mask(ClientKeyShare share, char[] pin, byte[] salt, int iterations, byte[] context) {
        BigInteger m = mask(pin, salt, iterations, context);
        return Sm2Curve.encodeScalar(share.share().add(m).mod(Sm2Curve.N));
    }

    /**
     * The share a PIN gives. A wrong PIN gives a wrong share, not an error: that is the point.
     */
    public static ClientKeyShare unmask(byte[] masked, Sm2PublicKey jointKey, char[] pin, byte[] salt,
                                        int iterations, byte[] context) {
        BigInteger m = mask(pin, salt, iterations, context);
        BigInteger stored = Sm2Curve.decodeScalar(masked, "masked key share");
        BigInteger d1 = stored.subtract(m).mod(Sm2Curve.N);
        if (d1.signum() == 0) {
            d1 = BigInteger.ONE; // probability 2^-256; still a valid, wrong share
        }
        return new ClientKeyShare(d1, jointKey);
    }

    /** The 32-byte share masked with the OPRF output {@code m} (from {@link PinOprf.Blinded#finish}). */
    public static byte[] maskWithOprf(ClientKeyShare share, BigInteger m) {
        return Sm2Curve.encodeScalar(share.share().add(m).mod(Sm2Curve.N));
    }

    /** The share an OPRF mask gives: a wrong PIN gives a wrong share, not an error. */
    public static ClientKeyShare unmaskWithOprf(byte[] masked, Sm2PublicKey jointKey, BigInteger m) {
        BigInteger stored = Sm2Curve.decodeScalar(masked, "masked key share");
        BigInteger d1 = stored.subtract(m).mod(Sm2Curve.N);
        if (d1.signum() == 0) {
            d1 = BigInteger.ONE; // probability 2^-256; still a valid, wrong share
        }
        return new ClientKeyShare(d1, jointKey);
    }

    private static BigInteger mask(char[] pin, byte[] salt, int iterations, byte[] context) {
        byte[] saltAndContext = new byte[salt.length + context.length];
        System.arraycopy(salt, 0, saltAndContext, 0, salt.length);
        System.arraycopy(context, 0, saltAndContext, salt.length, context.length);
        byte[] k = Pbkdf2Sm3.derive(pin, saltAndContext, iterations, MASK_BYTES);
        try {
            return new BigInteger(1, k).mod(Sm2Curve.N);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }
}
