package io.gmgate.keystore;

import java.util.Arrays;

import io.gmgate.crypto.card.KekId;

/**
 * A server share as stored: SM4-GCM ciphertext under a per-record data key, and that data key
 * wrapped by a KEK inside the cipher card.
 */
public record SealedShare(KekId kek, byte[] wrappedDataKey, byte[] nonce, byte[] ciphertext) {

    public SealedShare {
        wrappedDataKey = wrappedDataKey.clone();
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] wrappedDataKey() {
        return wrappedDataKey.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedShare s && s.kek.equals(kek) && Arrays.equals(s.wrappedDataKey, wrappedDataKey)
                && Arrays.equals(s.nonce, nonce) && Arrays.equals(s.ciphertext, ciphertext);
    }

    @Override
    public int hashCode() {
        return kek.hashCode() * 31 + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedShare[" + kek + ", " + ciphertext.length + " bytes]";
    }
}
