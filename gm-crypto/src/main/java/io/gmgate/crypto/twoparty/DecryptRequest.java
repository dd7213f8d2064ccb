package io.gmgate.crypto.twoparty;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;

/** Co-decryption, client → server: T1 = [d1^-1]C1 (design §11). */
public record DecryptRequest(ECPoint t1) {

    public DecryptRequest {
        t1 = Sm2Curve.requireValidPoint(t1);
    }

    public byte[] toBytes() {
        return Sm2Curve.encodePoint(t1);
    }

    public static DecryptRequest fromBytes(byte[] in) {
        return new DecryptRequest(Wire.reader(in, Wire.POINT, "decrypt request").readPoint());
    }
}
