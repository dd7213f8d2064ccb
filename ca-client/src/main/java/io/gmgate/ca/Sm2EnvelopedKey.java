package io.gmgate.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.Function;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm4;
import io.gmgate.crypto.GmRandom;

/**
 * GM/T 0009-2012 §7.4 / GB/T 35276-2017 §7.4 SM2EnvelopedKey: an encryption private key sent by the
 * CA's key-management centre, readable only with the user's sign private key.
 * <pre>
 * SM2EnvelopedKey ::= SEQUENCE {
 *   symAlgID               AlgorithmIdentifier,  -- SM4-ECB
 *   symEncryptedKey        SM2Cipher,            -- the SM4 key, SM2-encrypted to the sign key
 *   sm2PublicKey           SM2PublicKey,         -- BIT STRING 04‖x‖y
 *   sm2EncryptedPrivateKey BIT STRING }          -- SM4-ECB(d), no padding
 * </pre>
 * Some SKF tokens put d in a 64-byte field left-padded with zeros; {@link #open} reads both.
 */
public record Sm2EnvelopedKey(Sm2Ciphertext encryptedKey, Sm2PublicKey publicKey, byte[] encryptedPrivateKey) {

    private static final AlgorithmIdentifier SM4_ECB = new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb);

    public Sm2EnvelopedKey {
        encryptedPrivateKey = encryptedPrivateKey.clone();
        if (encryptedPrivateKey.length == 0 || encryptedPrivateKey.length % Sm4.BLOCK_BYTES != 0) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "encrypted private key is not whole SM4 blocks (" + encryptedPrivateKey.length + " bytes)");
        }
    }

    @Override
    public byte[] encryptedPrivateKey() {
        return encryptedPrivateKey.clone();
    }

    /** Envelopes key to recipient (the user's sign public key). */
    public static Sm2EnvelopedKey seal(Sm2PrivateKey key, Sm2PublicKey recipient) {
        byte[] sk = GmRandom.bytes(Sm4.KEY_BYTES);
        byte[] d = Sm2Curve.encodeScalar(key.d());
        try {
            return new Sm2EnvelopedKey(Sm2Cipher.encrypt(recipient, sk), key.publicKey(), Sm4.ecb(true, sk, d));
        } finally {
            Arrays.fill(sk, (byte) 0);
            Arrays.fill(d, (byte) 0);
        }
    }

    /**
     * Opens the envelope; decryptor performs the SM2 decryption with the sign key (a whole key, a
     * card, or one two-party co-decryption). The caller destroys the returned key after use.
     */
    public Sm2PrivateKey open(Function<Sm2Ciphertext, byte[]> decryptor) {
        byte[] sk = null;
        byte[] d = null;
        try {
            sk = decryptor.apply(encryptedKey);
            if (sk == null || sk.length != Sm4.KEY_BYTES) {
                throw new CaException(CaErrors.ENVELOPE_INVALID, "enveloped symmetric key is not a 16-byte SM4 key");
            }
            d = Sm4.ecb(false, sk, encryptedPrivateKey);
            int start = d.length - Sm2Curve.FIELD_BYTES;
            for (int i = 0; i < start; i++) {
                if (d[i] != 0) {
                    throw new CaException(CaErrors.ENVELOPE_INVALID, "enveloped private key is longer than 32 bytes");
                }
            }
            BigInteger scalar = new BigInteger(1, Arrays.copyOfRange(d, Math.max(0, start), d.length));
            Sm2PrivateKey key;
            try {
                key = Sm2PrivateKey.of(scalar);
            } catch (RuntimeException e) {
                throw new CaException(CaErrors.ENVELOPE_INVALID, "enveloped private key is out of range", e);
            }
            if (!key.publicKey().equals(publicKey)) {
                key.destroy();
                throw new CaException(CaErrors.ENVELOPE_INVALID, "enveloped private key does not match the enveloped public key");
            }
            return key;
        } finally {
            if (sk != null) {
                Arrays.fill(sk, (byte) 0);
            }
            if (d != null) {
                Arrays.fill(d, (byte) 0);
            }
        }
    }

    public byte[] toDer() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(SM4_ECB);
        try {
            v.add(ASN1Primitive.fromByteArray(encryptedKey.toDer()));
            v.add(new DERBitString(publicKey.encoded()));
            v.add(new DERBitString(encryptedPrivateKey));
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Sm2EnvelopedKey fromDer(byte[] der) {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(der);
            if (seq.size() != 4) {
                throw new CaException(CaErrors.ENVELOPE_INVALID, "SM2EnvelopedKey has " + seq.size() + " fields, expected 4");
            }
            AlgorithmIdentifier alg = AlgorithmIdentifier.getInstance(seq.getObjectAt(0));
            if (!GMObjectIdentifiers.sms4_ecb.equals(alg.getAlgorithm())) {
                throw new CaException(CaErrors.ENVELOPE_INVALID, "SM2EnvelopedKey symmetric algorithm " + alg.getAlgorithm() + " is not SM4-ECB");
            }
            Sm2Ciphertext ct = Sm2Ciphertext.fromDer(seq.getObjectAt(1).toASN1Primitive().getEncoded(ASN1Encoding.DER));
            Sm2PublicKey pub = Sm2PublicKey.decode(DERBitString.getInstance(seq.getObjectAt(2)).getOctets());
            byte[] enc = DERBitString.getInstance(seq.getObjectAt(3)).getOctets();
            return new Sm2EnvelopedKey(ct, pub, enc);
        } catch (CaException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "SM2EnvelopedKey cannot be decoded: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sm2EnvelopedKey k && Arrays.equals(toDer(), k.toDer());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toDer());
    }

    @Override
    public String toString() {
        return "Sm2EnvelopedKey[for=" + publicKey + ", key=[redacted]]";
    }
}
