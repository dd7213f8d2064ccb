package io.gmgate.crypto.twoparty;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;

/**
 * Key generation step 2, server → client: P2 = [d2^-1]G, the server's proof π2, and the joint public
 * key P = [d2^-1]P1 − G that the client recomputes from its side before accepting (design §11).
 */
public record KeyGenResponse(ECPoint p2, SchnorrProof proof, ECPoint jointKey) {

    static final int BYTES = Wire.POINT + SchnorrProof.BYTES + Wire.POINT;

    public KeyGenResponse {
        p2 = Sm2Curve.requireValidPoint(p2);
        Objects.requireNonNull(proof, "proof");
        jointKey = Sm2Curve.requireValidPoint(jointKey);
    }

    public byte[] toBytes() {
        return Wire.writer(BYTES).point(p2).proof(proof).point(jointKey).bytes();
    }

    public static KeyGenResponse fromBytes(byte[] in) {
        Wire w = Wire.reader(in, BYTES, "key generation response");
        return new KeyGenResponse(w.readPoint(), SchnorrProof.read(w), w.readPoint());
    }
}
