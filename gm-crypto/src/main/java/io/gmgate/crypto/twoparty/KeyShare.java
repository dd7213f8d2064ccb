package io.gmgate.crypto.twoparty;

import java.math.BigInteger;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * One party's multiplicative share d_i of (1+d)^-1 = d1·d2, its inverse (computed at first use and
 * kept: decryption and resharing use d_i^-1, co-signing only d_i), and the joint public key. Stored form: tag ‖ d_i (32) ‖ P (65); the
 * keystore encrypts it. BigInteger cannot be wiped, so destroy() drops the references.
 */
abstract sealed class KeyShare implements Destroyable permits ClientKeyShare, ServerKeyShare {

    static final int BYTES = 1 + Wire.SCALAR + Wire.POINT;

    private BigInteger share;
    private BigInteger inverse;
    private final Sm2PublicKey jointKey;

    KeyShare(BigInteger share, Sm2PublicKey jointKey) {
        this.share = Sm2Curve.requireScalar(share, "key share");
        this.jointKey = jointKey;
    }

    abstract byte tag();

    public final Sm2PublicKey jointKey() {
        return jointKey;
    }

    final BigInteger share() {
        requireLive();
        return share;
    }

    final BigInteger inverse() {
        requireLive();
        BigInteger known = inverse;
        if (known == null) {
            known = share.modInverse(Sm2Curve.N); // a scalar in [1, n-1] of a prime order: always invertible
            inverse = known;
        }
        return known;
    }

    /** tag ‖ d_i ‖ P, 98 bytes, for the keystore to encrypt; the caller zeroes the array. */
    public final byte[] toBytes() {
        byte[] out = Wire.writer(BYTES - 1).scalar(share()).point(jointKey.point()).bytes();
        byte[] tagged = new byte[BYTES];
        tagged[0] = tag();
        System.arraycopy(out, 0, tagged, 1, out.length);
        Arrays.fill(out, (byte) 0);
        return tagged;
    }

    /** The fields of a stored share; prints nothing secret. */
    record Stored(BigInteger share, Sm2PublicKey jointKey) {
        @Override
        public String toString() {
            return "Stored[redacted]";
        }
    }

    /** Parses the stored form or fails with KEY-003. */
    static Stored parse(byte[] in, byte expectedTag, String what) {
        if (in == null || in.length != BYTES || in[0] != expectedTag) {
            throw new GmCryptoException(CryptoErrors.KEY_SHARE_MALFORMED,
                    "stored " + what + " must be " + BYTES + " bytes starting with tag " + expectedTag);
        }
        byte[] body = Arrays.copyOfRange(in, 1, in.length);
        try {
            Wire w = Wire.reader(body, BYTES - 1, what);
            BigInteger d = w.readScalar(what);
            Sm2PublicKey p = Sm2PublicKey.of(w.readPoint());
            return new Stored(d, p);
        } catch (GmCryptoException e) {
            throw new GmCryptoException(CryptoErrors.KEY_SHARE_MALFORMED, "stored " + what + " is corrupt", e);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    @Override
    public final void destroy() {
        share = null;
        inverse = null;
    }

    @Override
    public final boolean isDestroyed() {
        return share == null;
    }

    private void requireLive() {
        if (share == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has been destroyed");
        }
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[redacted]";
    }
}
