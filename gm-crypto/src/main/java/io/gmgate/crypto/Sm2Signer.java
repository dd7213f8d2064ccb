package io.gmgate.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * SM2 digital signatures (GB/T 32918.2). Computed on the optimised curve with (1+d)^-1 cached in the
 * key, so a signature costs one fixed-base multiplication; BouncyCastle's SM2Signer verifies ours
 * and we verify its (see the tests).
 */
public final class Sm2Signer {

    /** The default user ID of GM/T 0009 §10; handed out as copies ({@link #defaultId}), since every signature depends on it. */
    static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] A = Sm2Curve.DOMAIN.getCurve().getA().getEncoded();
    private static final byte[] B = Sm2Curve.DOMAIN.getCurve().getB().getEncoded();
    private static final byte[] GX = Sm2Curve.G.getAffineXCoord().getEncoded();
    private static final byte[] GY = Sm2Curve.G.getAffineYCoord().getEncoded();

    private Sm2Signer() {
    }

    /** The default user ID of GM/T 0009 §10, "1234567812345678". */
    public static byte[] defaultId() {
        return DEFAULT_ID.clone();
    }

    /** Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA), GB/T 32918.2 §5.5. */
    public static byte[] z(Sm2PublicKey key, byte[] id) {
        return zOf(key, id).clone();
    }

    /** Z, the key's kept one for the default ID: not to be handed out. */
    private static byte[] zOf(Sm2PublicKey key, byte[] id) {
        return Arrays.equals(id, DEFAULT_ID) ? key.defaultZ() : computeZ(key, id);
    }

    static byte[] computeZ(Sm2PublicKey key, byte[] id) {
        int bits = id.length * 8;
        if (bits > 0xFFFF) {
            throw new IllegalArgumentException("SM2 user ID longer than 8191 bytes");
        }
        byte[] entl = {(byte) (bits >>> 8), (byte) bits};
        ECPoint p = key.point();
        return Sm3.digest(entl, id, A, B, GX, GY,
                p.getAffineXCoord().getEncoded(), p.getAffineYCoord().getEncoded());
    }

    /** e = SM3(Z‖M) as an integer. */
    public static BigInteger e(Sm2PublicKey key, byte[] id, byte[] message) {
        return new BigInteger(1, Sm3.digest(zOf(key, id), message));
    }

    public static Sm2Signature sign(Sm2PrivateKey key, byte[] message) {
        return sign(key, DEFAULT_ID, message);
    }

    public static Sm2Signature sign(Sm2PrivateKey key, byte[] id, byte[] message) {
        return signDigest(key, e(key.publicKey(), id, message));
    }

    /** Signs e = SM3(Z‖M) already computed (e.g. TLS CertificateVerify, or a two-party client). */
    public static Sm2Signature signDigest(Sm2PrivateKey key, BigInteger e) {
        while (true) {
            Sm2Signature sig = signDigest(key, e, Sm2Curve.randomScalar());
            if (sig != null) {
                return sig;
            }
        }
    }

    /**
     * One attempt of GB/T 32918.2 §6.1 A3–A6 with a given k; null when the standard says to pick a
     * new k. Package-private so the tests can reproduce the standard's example with its fixed k.
     */
    static Sm2Signature signDigest(Sm2PrivateKey key, BigInteger e, BigInteger k) {
        BigInteger n = Sm2Curve.N;
        BigInteger d = key.d();
        BigInteger x1 = Sm2Curve.multiplyG(k).getAffineXCoord().toBigInteger();
        BigInteger r = e.add(x1).mod(n);
        if (r.signum() == 0 || r.add(k).equals(n)) {
            return null;
        }
        // s = (1+d)^-1 · (k − r·d) mod n
        BigInteger s = key.inverseOnePlusD().multiply(k.subtract(r.multiply(d))).mod(n);
        return s.signum() == 0 ? null : new Sm2Signature(r, s);
    }

    public static boolean verify(Sm2PublicKey key, byte[] message, Sm2Signature sig) {
        return verify(key, DEFAULT_ID, message, sig);
    }

    public static boolean verify(Sm2PublicKey key, byte[] id, byte[] message, Sm2Signature sig) {
        return verifyDigest(key, e(key, id, message), sig);
    }

    /** GB/T 32918.2 §7.1: t = r + s, (x1, y1) = [s]G + [t]P, accept iff r == e + x1 mod n. */
    public static boolean verifyDigest(Sm2PublicKey key, BigInteger e, Sm2Signature sig) {
        BigInteger n = Sm2Curve.N;
        BigInteger t = sig.r().add(sig.s()).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        ECPoint x1y1 = ECAlgorithms.sumOfTwoMultiplies(Sm2Curve.G, sig.s(), key.point(), t).normalize();
        if (x1y1.isInfinity()) {
            return false;
        }
        BigInteger expected = e.add(x1y1.getAffineXCoord().toBigInteger()).mod(n);
        return expected.equals(sig.r());
    }
}
