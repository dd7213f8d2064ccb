package io.gmgate.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The SM2 recommended curve (GB/T 32918.5) on BouncyCastle's optimised {@code SM2P256V1Curve},
 * which is 3–5× faster than the generic one (design §12), and the checks every received value gets.
 */
public final class Sm2Curve {

    public static final X9ECParameters X9 = CustomNamedCurves.getByName("sm2p256v1");
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());
    public static final BigInteger N = DOMAIN.getN();
    public static final ECPoint G = DOMAIN.getG();
    /** Size in bytes of a field element and of a scalar. */
    public static final int FIELD_BYTES = 32;

    private static final GeneratorComb BASE_COMB = new GeneratorComb(G, N);

    private Sm2Curve() {
    }

    /** [k]G for k in [1, n-1] with the precomputed comb ({@link GeneratorComb}); the result is normalised. */
    public static ECPoint multiplyG(BigInteger k) {
        return BASE_COMB.multiply(k);
    }

    /** A uniformly random scalar in [1, n-1]. */
    public static BigInteger randomScalar(SecureRandom random) {
        return BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), random);
    }

    public static BigInteger randomScalar() {
        return randomScalar(GmRandom.shared());
    }

    /**
     * Decodes a point (uncompressed 04‖x‖y or compressed) received from a peer and checks that it
     * is on the curve and not infinity. SM2's cofactor is 1, so on-curve implies the prime-order group.
     */
    public static ECPoint decodePoint(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "empty point encoding");
        }
        ECPoint p;
        try {
            p = DOMAIN.getCurve().decodePoint(encoded);
        } catch (IllegalArgumentException e) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT,
                    "point of " + encoded.length + " bytes is not on sm2p256v1", e);
        }
        return requireValidPoint(p);
    }

    public static ECPoint requireValidPoint(ECPoint p) {
        if (p == null || p.isInfinity()) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "point is the point at infinity");
        }
        if (p.getCurve() != DOMAIN.getCurve()) {
            try {
                // e.g. a point on BC's generic sm2p256v1: move it onto the optimised curve
                p = DOMAIN.getCurve().importPoint(p);
            } catch (IllegalArgumentException e) {
                throw new GmCryptoException(CryptoErrors.INVALID_POINT, "point is on another curve", e);
            }
        }
        ECPoint normal = p.normalize();
        if (!normal.isValid()) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "point is not on sm2p256v1");
        }
        return normal;
    }

    /** Checks a received scalar is in [1, n-1]. */
    public static BigInteger requireScalar(BigInteger k, String what) {
        if (k == null || k.signum() <= 0 || k.compareTo(N) >= 0) {
            throw new GmCryptoException(CryptoErrors.INVALID_SCALAR, what + " is outside [1, n-1]");
        }
        return k;
    }

    /** Decodes a 32-byte big-endian scalar and checks its range. */
    public static BigInteger decodeScalar(byte[] encoded, String what) {
        if (encoded == null || encoded.length != FIELD_BYTES) {
            throw new GmCryptoException(CryptoErrors.INVALID_SCALAR,
                    what + " must be " + FIELD_BYTES + " bytes, got " + (encoded == null ? 0 : encoded.length));
        }
        return requireScalar(new BigInteger(1, encoded), what);
    }

    public static byte[] encodeScalar(BigInteger k) {
        return BigIntegers.asUnsignedByteArray(FIELD_BYTES, k);
    }

    /** Uncompressed encoding 04‖x‖y, 65 bytes. */
    public static byte[] encodePoint(ECPoint p) {
        return p.getEncoded(false);
    }
}
