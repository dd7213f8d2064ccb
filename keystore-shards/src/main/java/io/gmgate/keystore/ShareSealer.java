package io.gmgate.keystore;

import java.util.Arrays;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm4;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * Envelope encryption of server shares (design §6): a fresh data key per record seals the share with
 * SM4-GCM bound to its {@link ShareBinding}; the card wraps the data key under its current KEK.
 * Plaintext data keys are zeroed as soon as they are used.
 */
public final class ShareSealer {

    private static final int NONCE_BYTES = 12;

    private final CipherCard card;
    private final int kekIndex;

    public ShareSealer(CipherCard card, int kekIndex) {
        this.card = card;
        this.kekIndex = kekIndex;
    }

    public SealedShare seal(ShareBinding binding, byte[] share) {
        return seal(binding.associatedData(), share);
    }

    /** Seals another per-device secret (the PIN OPRF key) the same way, bound to {@code associatedData}. */
    public SealedShare seal(byte[] associatedData, byte[] secret) {
        KekId kek = card.currentKek(kekIndex);
        byte[] dataKey = card.random(Sm4.KEY_BYTES);
        try {
            byte[] nonce = card.random(NONCE_BYTES);
            byte[] ciphertext = Sm4.gcmEncrypt(dataKey, nonce, associatedData, secret);
            return new SealedShare(kek, card.wrap(kek, dataKey), nonce, ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The plaintext share; the caller zeroes it. A moved or altered record fails with KEY-100. */
    public byte[] open(ShareBinding binding, SealedShare sealed) {
        byte[] dataKey = unwrap(binding, sealed);
        try {
            return Sm4.gcmDecrypt(dataKey, sealed.nonce(), binding.associatedData(), sealed.ciphertext());
        } catch (GmCryptoException e) {
            throw integrity(binding, "share ciphertext");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Opens a secret sealed by {@link #seal(byte[], byte[])}; KEY-100 naming {@code what} if it was altered or moved. */
    public byte[] open(byte[] associatedData, SealedShare sealed, String what) {
        byte[] dataKey;
        try {
            dataKey = card.unwrap(sealed.kek(), sealed.wrappedDataKey());
        } catch (CipherCardException e) {
            if (e.errorCode().equals(io.gmgate.crypto.card.CardErrors.INTEGRITY)) {
                throw new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + card.name() + "] wrapped data key of " + what
                        + " did not verify");
            }
            throw e;
        }
        try {
            return Sm4.gcmDecrypt(dataKey, sealed.nonce(), associatedData, sealed.ciphertext());
        } catch (GmCryptoException e) {
            throw new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + card.name() + "] " + what + " did not verify");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** KEK rotation: the same sealed share with its data key re-wrapped under the current KEK. */
    public SealedShare rewrap(ShareBinding binding, SealedShare sealed) {
        KekId current = card.currentKek(kekIndex);
        if (sealed.kek().equals(current)) {
            return sealed;
        }
        byte[] dataKey = unwrap(binding, sealed);
        try {
            return new SealedShare(current, card.wrap(current, dataKey), sealed.nonce(), sealed.ciphertext());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** KEK rotation of another sealed secret (the PIN OPRF key): the data key's wrap does not depend on its binding. */
    public SealedShare rewrap(SealedShare sealed, String what) {
        KekId current = card.currentKek(kekIndex);
        if (sealed.kek().equals(current)) {
            return sealed;
        }
        byte[] dataKey;
        try {
            dataKey = card.unwrap(sealed.kek(), sealed.wrappedDataKey());
        } catch (CipherCardException e) {
            if (e.errorCode().equals(io.gmgate.crypto.card.CardErrors.INTEGRITY)) {
                throw new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + card.name() + "] wrapped data key of " + what
                        + " did not verify");
            }
            throw e;
        }
        try {
            return new SealedShare(current, card.wrap(current, dataKey), sealed.nonce(), sealed.ciphertext());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private byte[] unwrap(ShareBinding binding, SealedShare sealed) {
        try {
            return card.unwrap(sealed.kek(), sealed.wrappedDataKey());
        } catch (CipherCardException e) {
            if (e.errorCode().equals(io.gmgate.crypto.card.CardErrors.INTEGRITY)) {
                throw integrity(binding, "wrapped data key");
            }
            throw e;
        }
    }

    private KeystoreException integrity(ShareBinding binding, String what) {
        return new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + card.name() + "] " + what
                + " of key " + binding.keyId() + " v" + binding.version() + " (" + binding.purpose()
                + ") for account " + binding.account() + " did not verify");
    }
}
