package io.gmgate.crypto;

import java.util.Arrays;

import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** An SM2 public key: a validated, normalised point on sm2p256v1. */
public final class Sm2PublicKey {

    private final ECPoint point;
    private final byte[] encoded;
    /** Z for the default user ID, made at the first signature: a node signs every handshake with one key. */
    private volatile byte[] defaultZ;

    private Sm2PublicKey(ECPoint point) {
        this.point = Sm2Curve.requireValidPoint(point);
        this.encoded = Sm2Curve.encodePoint(this.point);
    }

    public static Sm2PublicKey of(ECPoint point) {
        return new Sm2PublicKey(point);
    }

    /** From 04‖x‖y (or a compressed point); refuses points off the curve and infinity. */
    public static Sm2PublicKey decode(byte[] encoded) {
        return new Sm2PublicKey(Sm2Curve.decodePoint(encoded));
    }

    public ECPoint point() {
        return point;
    }

    /** 04‖x‖y, 65 bytes. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA) for the default user ID, computed once per key. */
    byte[] defaultZ() {
        byte[] z = defaultZ;
        if (z == null) {
            z = Sm2Signer.computeZ(this, Sm2Signer.defaultId());
            defaultZ = z;
        }
        return z;
    }

    public ECPublicKeyParameters toParameters() {
        return new ECPublicKeyParameters(point, Sm2Curve.DOMAIN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sm2PublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Sm2PublicKey[" + Hex.toHexString(encoded, 1, 8) + "…]";
    }
}
