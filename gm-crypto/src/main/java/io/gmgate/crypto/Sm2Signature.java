package io.gmgate.crypto;

import java.io.IOException;
import java.math.BigInteger;

import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/** An SM2 signature (r, s), in DER (SEQUENCE of two INTEGERs) or raw r‖s (64 bytes). */
public record Sm2Signature(BigInteger r, BigInteger s) {

    public Sm2Signature {
        Sm2Curve.requireScalar(r, "signature r");
        Sm2Curve.requireScalar(s, "signature s");
    }

    public byte[] toDer() {
        try {
            return StandardDSAEncoding.INSTANCE.encode(Sm2Curve.N, r, s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toRaw() {
        return PlainDSAEncoding.INSTANCE.encode(Sm2Curve.N, r, s);
    }

    public static Sm2Signature fromDer(byte[] der) {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Sm2Curve.N, der);
            return new Sm2Signature(rs[0], rs[1]);
        } catch (IOException | IllegalArgumentException e) {
            throw new GmCryptoException(CryptoErrors.INVALID_SCALAR, "malformed DER SM2 signature", e);
        }
    }

    public static Sm2Signature fromRaw(byte[] raw) {
        if (raw == null || raw.length != 2 * Sm2Curve.FIELD_BYTES) {
            throw new GmCryptoException(CryptoErrors.INVALID_SCALAR, "raw SM2 signature must be 64 bytes");
        }
        byte[] r = java.util.Arrays.copyOfRange(raw, 0, Sm2Curve.FIELD_BYTES);
        byte[] s = java.util.Arrays.copyOfRange(raw, Sm2Curve.FIELD_BYTES, raw.length);
        return new Sm2Signature(new BigInteger(1, r), new BigInteger(1, s));
    }
}
