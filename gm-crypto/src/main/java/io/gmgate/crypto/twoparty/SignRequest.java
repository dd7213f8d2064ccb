package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;

/**
 * Signing step 1, client → server: Q1 = [k1]G and e = SM3(Z‖M) (design §11). The session token and
 * the single-use request nonce travel beside it; binding them is the cosign service's job.
 */
public record SignRequest(ECPoint q1, BigInteger e) {

    static final int BYTES = Wire.POINT + Wire.SCALAR;

    public SignRequest {
        q1 = Sm2Curve.requireValidPoint(q1);
        if (e == null || e.signum() < 0 || e.bitLength() > 256) {
            throw new IllegalArgumentException("e must be a 256-bit SM3 digest");
        }
    }

    public byte[] toBytes() {
        return Wire.writer(BYTES).point(q1).scalar(e).bytes();
    }

    public static SignRequest fromBytes(byte[] in) {
        Wire w = Wire.reader(in, BYTES, "sign request");
        return new SignRequest(w.readPoint(), w.readDigest());
    }
}
