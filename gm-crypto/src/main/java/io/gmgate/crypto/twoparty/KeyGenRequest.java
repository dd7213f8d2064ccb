package io.gmgate.crypto.twoparty;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;

/** Key generation step 1, client → server: P1 = [d1^-1]G and the client's proof π1 (design §11). */
public record KeyGenRequest(ECPoint p1, SchnorrProof proof) {

    static final int BYTES = Wire.POINT + SchnorrProof.BYTES;

    public KeyGenRequest {
        p1 = Sm2Curve.requireValidPoint(p1);
        Objects.requireNonNull(proof, "proof");
    }

    public byte[] toBytes() {
        return Wire.writer(BYTES).point(p1).proof(proof).bytes();
    }

    public static KeyGenRequest fromBytes(byte[] in) {
        Wire w = Wire.reader(in, BYTES, "key generation request");
        return new KeyGenRequest(w.readPoint(), SchnorrProof.read(w));
    }
}
