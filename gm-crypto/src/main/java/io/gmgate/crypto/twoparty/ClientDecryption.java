package io.gmgate.crypto.twoparty;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;

/** The client's steps of co-decryption (design §11): T1 = [d1^-1]C1, then (x2, y2) = T2 − C1. */
public final class ClientDecryption {

    private ClientDecryption() {
    }

    public static DecryptRequest start(ClientKeyShare share, Sm2Ciphertext ciphertext) {
        return new DecryptRequest(ciphertext.c1().multiply(share.inverse()));
    }

    /**
     * [d]C1 = [(d1·d2)^-1 − 1]C1 = T2 − C1; the rest (KDF, C2, the C3 check) is the ordinary
     * GB/T 32918.4 decryption. Fails with KEY-002 for a wrong share or a faulty server.
     */
    public static byte[] finish(Sm2Ciphertext ciphertext, DecryptResponse response) {
        ECPoint shared = response.t2().subtract(ciphertext.c1()).normalize();
        if (shared.isInfinity()) {
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "co-decryption failed: T2 equals C1");
        }
        return Sm2Cipher.open(ciphertext, shared);
    }
}
