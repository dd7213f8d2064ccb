package io.gmgate.crypto;

import java.math.BigInteger;

import io.gmgate.crypto.card.CipherCard;

/**
 * The private half of an SM2 signing key, wherever it lives: it signs a digest e = SM3(Z‖M) that the
 * caller computed (GB/T 32918.2 §6.1 A1–A2), so a key in a cipher card (SDF_InternalSign_ECC) or a
 * co-signed key serves as well as one in memory. TLCP/TLS handshakes, the CA and signed policies all
 * sign through it.
 */
public interface Sm2SignKey {

    Sm2PublicKey publicKey();

    /** Signs e = SM3(Z‖M); may block on a device. */
    Sm2Signature signDigest(byte[] e);

    /** A key held in memory (tests, external tools, small sites); the key object is not copied. */
    static Sm2SignKey of(Sm2PrivateKey key) {
        return new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return key.publicKey();
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                return Sm2Signer.signDigest(key, new BigInteger(1, e));
            }

            @Override
            public String toString() {
                return "Sm2SignKey[memory, key=[redacted]]";
            }
        };
    }

    /** A key inside a cipher card at an internal index. */
    static Sm2SignKey onCard(CipherCard card, int index) {
        Sm2PublicKey pub = card.sm2PublicKey(index);
        return new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return pub;
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                return card.sm2SignDigest(index, e);
            }

            @Override
            public String toString() {
                return "Sm2SignKey[" + card.name() + " #" + index + "]";
            }
        };
    }
}
