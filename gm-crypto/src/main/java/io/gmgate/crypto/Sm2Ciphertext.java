package io.gmgate.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The three parts of an SM2 ciphertext: C1 = [k]G (validated), C3 = SM3(x2‖M‖y2), C2 = M ⊕ KDF.
 * Raw layouts per {@link Sm2CiphertextLayout}, or the DER {@code SM2Cipher} of GM/T 0009 §7.2 that
 * TLCP uses for the encrypted pre-master secret.
 */
public record Sm2Ciphertext(ECPoint c1, byte[] c3, byte[] c2) {

    public Sm2Ciphertext {
        c1 = Sm2Curve.requireValidPoint(c1);
        if (c3 == null || c3.length != Sm3.DIGEST_BYTES) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM2 ciphertext hash C3 must be 32 bytes");
        }
        if (c2 == null || c2.length == 0) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM2 ciphertext body C2 is empty");
        }
        c3 = c3.clone();
        c2 = c2.clone();
    }

    @Override
    public byte[] c3() {
        return c3.clone();
    }

    @Override
    public byte[] c2() {
        return c2.clone();
    }

    private static final int C1_BYTES = 1 + 2 * Sm2Curve.FIELD_BYTES;

    public static Sm2Ciphertext decode(byte[] raw, Sm2CiphertextLayout layout) {
        if (raw == null || raw.length <= C1_BYTES + Sm3.DIGEST_BYTES) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED,
                    "raw SM2 ciphertext of " + (raw == null ? 0 : raw.length) + " bytes is too short");
        }
        if (raw[0] != 0x04) {
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "SM2 ciphertext C1 is not an uncompressed point");
        }
        ECPoint c1 = Sm2Curve.decodePoint(Arrays.copyOfRange(raw, 0, C1_BYTES));
        int c2Len = raw.length - C1_BYTES - Sm3.DIGEST_BYTES;
        byte[] c3;
        byte[] c2;
        if (layout == Sm2CiphertextLayout.C1C3C2) {
            c3 = Arrays.copyOfRange(raw, C1_BYTES, C1_BYTES + Sm3.DIGEST_BYTES);
            c2 = Arrays.copyOfRange(raw, C1_BYTES + Sm3.DIGEST_BYTES, raw.length);
        } else {
            c2 = Arrays.copyOfRange(raw, C1_BYTES, C1_BYTES + c2Len);
            c3 = Arrays.copyOfRange(raw, C1_BYTES + c2Len, raw.length);
        }
        return new Sm2Ciphertext(c1, c3, c2);
    }

    public byte[] encode(Sm2CiphertextLayout layout) {
        byte[] c1Bytes = Sm2Curve.encodePoint(c1);
        byte[] out = new byte[c1Bytes.length + c3.length + c2.length];
        System.arraycopy(c1Bytes, 0, out, 0, c1Bytes.length);
        if (layout == Sm2CiphertextLayout.C1C3C2) {
            System.arraycopy(c3, 0, out, c1Bytes.length, c3.length);
            System.arraycopy(c2, 0, out, c1Bytes.length + c3.length, c2.length);
        } else {
            System.arraycopy(c2, 0, out, c1Bytes.length, c2.length);
            System.arraycopy(c3, 0, out, c1Bytes.length + c2.length, c3.length);
        }
        return out;
    }

    /** SM2Cipher ::= SEQUENCE { XCoordinate INTEGER, YCoordinate INTEGER, HASH OCTET STRING, CipherText OCTET STRING }. */
    public byte[] toDer() {
        ASN1EncodableVector v = new ASN1EncodableVector(4);
        v.add(new ASN1Integer(c1.getAffineXCoord().toBigInteger()));
        v.add(new ASN1Integer(c1.getAffineYCoord().toBigInteger()));
        v.add(new DEROctetString(c3));
        v.add(new DEROctetString(c2));
        try {
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Sm2Ciphertext fromDer(byte[] der) {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (seq.size() != 4) {
                throw new IllegalArgumentException("SM2Cipher has " + seq.size() + " elements, expected 4");
            }
            BigInteger x = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger y = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            if (x.signum() < 0 || y.signum() < 0) {
                throw new IllegalArgumentException("negative coordinate");
            }
            ECPoint c1;
            try {
                c1 = Sm2Curve.DOMAIN.getCurve().validatePoint(x, y);
            } catch (IllegalArgumentException e) {
                throw new GmCryptoException(CryptoErrors.INVALID_POINT, "SM2Cipher C1 is not on sm2p256v1", e);
            }
            byte[] c3 = ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets();
            byte[] c2 = ASN1OctetString.getInstance(seq.getObjectAt(3)).getOctets();
            return new Sm2Ciphertext(c1, c3, c2);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "malformed DER SM2Cipher", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sm2Ciphertext other && c1.equals(other.c1)
                && Arrays.equals(c3, other.c3) && Arrays.equals(c2, other.c2);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(c3) + Arrays.hashCode(c2);
    }

    @Override
    public String toString() {
        return "Sm2Ciphertext[" + c2.length + " bytes]";
    }
}
