package io.gmgate.ca;

import java.math.BigInteger;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.CipherCard;

/**
 * Whoever holds an SM2 signing key: a cipher card slot, a whole key, or a two-party co-signer. It
 * signs e = SM3(Z‖M) computed by the caller (GB/T 32918.2 §6.1 steps A1–A2), so the key can stay
 * where it lives.
 */
public interface Sm2DigestSigner {

    Sm2PublicKey publicKey();

    Sm2Signature signDigest(byte[] e);

    /** A key held by the cipher card at this index (SDF_InternalSign_ECC). */
    static Sm2DigestSigner ofCard(CipherCard card, int index) {
        Sm2PublicKey key = card.sm2PublicKey(index);
        return new Sm2DigestSigner() {
            @Override
            public Sm2PublicKey publicKey() {
                return key;
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                return card.sm2SignDigest(index, e);
            }

            @Override
            public String toString() {
                return "card[" + card.name() + "#" + index + "]";
            }
        };
    }

    /** A whole private key in memory (external tools, tests, a terminal with a hardware-free key). */
    static Sm2DigestSigner ofKey(Sm2PrivateKey key) {
        return new Sm2DigestSigner() {
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
                return "key[redacted]";
            }
        };
    }
}
