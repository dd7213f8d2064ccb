package io.gmgate.crypto.twoparty;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.error.ErrorCode;

/** Fixed-size fields of the two-party messages: points as 04‖x‖y (65 bytes), scalars as 32 bytes. */
final class Wire {

    static final int POINT = 1 + 2 * Sm2Curve.FIELD_BYTES;
    static final int SCALAR = Sm2Curve.FIELD_BYTES;

    private final byte[] buf;
    private int pos;

    private Wire(byte[] buf) {
        this.buf = buf;
    }

    static Wire writer(int length) {
        return new Wire(new byte[length]);
    }

    /** A reader over exactly {@code expected} bytes; any other length is refused before parsing. */
    static Wire reader(byte[] in, int expected, String what) {
        return reader(in, expected, what, CryptoErrors.INVALID_POINT);
    }

    static Wire reader(byte[] in, int expected, String what, ErrorCode onBadLength) {
        if (in == null || in.length != expected) {
            throw new GmCryptoException(onBadLength,
                    what + " must be " + expected + " bytes, got " + (in == null ? 0 : in.length));
        }
        return new Wire(in);
    }

    Wire point(ECPoint p) {
        System.arraycopy(Sm2Curve.encodePoint(p), 0, buf, pos, POINT);
        pos += POINT;
        return this;
    }

    Wire scalar(BigInteger k) {
        System.arraycopy(Sm2Curve.encodeScalar(k), 0, buf, pos, SCALAR);
        pos += SCALAR;
        return this;
    }

    Wire proof(SchnorrProof p) {
        return point(p.commitment()).scalar(p.response());
    }

    byte[] bytes() {
        return buf;
    }

    ECPoint readPoint() {
        byte[] enc = Arrays.copyOfRange(buf, pos, pos + POINT);
        pos += POINT;
        if (enc[0] != 0x04) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "two-party points are sent uncompressed");
        }
        return Sm2Curve.decodePoint(enc);
    }

    BigInteger readScalar(String what) {
        byte[] enc = Arrays.copyOfRange(buf, pos, pos + SCALAR);
        pos += SCALAR;
        return Sm2Curve.decodeScalar(enc, what);
    }

    /** A 256-bit digest: any value, including zero. */
    BigInteger readDigest() {
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(buf, pos, pos + SCALAR));
        pos += SCALAR;
        return e;
    }
}
