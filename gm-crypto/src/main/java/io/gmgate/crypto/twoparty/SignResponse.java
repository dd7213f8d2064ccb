package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.Sm2Curve;

/** Signing step 2, server → client: r, s2 = d2·k3, s3 = d2·(r + k2), each in [1, n−1] (design §11). */
public record SignResponse(BigInteger r, BigInteger s2, BigInteger s3) {

    static final int BYTES = 3 * Wire.SCALAR;

    public SignResponse {
        Sm2Curve.requireScalar(r, "r");
        Sm2Curve.requireScalar(s2, "s2");
        Sm2Curve.requireScalar(s3, "s3");
    }

    public byte[] toBytes() {
        return Wire.writer(BYTES).scalar(r).scalar(s2).scalar(s3).bytes();
    }

    public static SignResponse fromBytes(byte[] in) {
        Wire w = Wire.reader(in, BYTES, "sign response", CryptoErrors.INVALID_SCALAR);
        return new SignResponse(w.readScalar("r"), w.readScalar("s2"), w.readScalar("s3"));
    }
}
