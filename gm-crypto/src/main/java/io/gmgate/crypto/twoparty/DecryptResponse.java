package io.gmgate.crypto.twoparty;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;

/** Co-decryption, server → client: T2 = [d2^-1]T1 (design §11). */
public record DecryptResponse(ECPoint t2) {

    public DecryptResponse {
        t2 = Sm2Curve.requireValidPoint(t2);
    }

    public byte[] toBytes() {
        return Sm2Curve.encodePoint(t2);
    }

    public static DecryptResponse fromBytes(byte[] in) {
        return new DecryptResponse(Wire.reader(in, Wire.POINT, "decrypt response").readPoint());
    }
}
