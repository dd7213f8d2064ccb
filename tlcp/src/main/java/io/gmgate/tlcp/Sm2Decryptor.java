package io.gmgate.tlcp;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.card.CipherCard;

/**
 * The private half of an SM2 encryption key, wherever it lives: in memory, in a cipher card
 * (SDF_InternalDecrypt_ECC), or shared with the co-signing service.
 */
public interface Sm2Decryptor {

    Sm2PublicKey publicKey();

    /** Decrypts; may block on a device. */
    byte[] decrypt(Sm2Ciphertext ciphertext);

    static Sm2Decryptor of(Sm2PrivateKey key) {
        return new Sm2Decryptor() {
            @Override
            public Sm2PublicKey publicKey() {
                return key.publicKey();
            }

            @Override
            public byte[] decrypt(Sm2Ciphertext ciphertext) {
                return io.gmgate.crypto.Sm2Cipher.decrypt(key, ciphertext);
            }

            @Override
            public String toString() {
                return "Sm2Decryptor[memory, key=[redacted]]";
            }
        };
    }

    static Sm2Decryptor onCard(CipherCard card, int index) {
        Sm2PublicKey pub = card.sm2PublicKey(index);
        return new Sm2Decryptor() {
            @Override
            public Sm2PublicKey publicKey() {
                return pub;
            }

            @Override
            public byte[] decrypt(Sm2Ciphertext ciphertext) {
                return card.sm2Decrypt(index, ciphertext);
            }

            @Override
            public String toString() {
                return "Sm2Decryptor[" + card.name() + " #" + index + "]";
            }
        };
    }
}
