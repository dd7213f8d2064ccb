package io.gmgate.sdk;

import java.util.Objects;

import io.gmgate.crypto.Sm2PublicKey;

/**
 * One key pair as this device keeps it: the joint public key and the device's share masked by
 * the PIN ({@code PinMaskedShare}). Never the plain share.
 */
public record StoredKey(String keyId, int version, Sm2PublicKey jointKey, byte[] maskedShare) {

    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(jointKey, "jointKey");
        if (maskedShare.length != 32) {
            throw new IllegalArgumentException("masked share must be 32 bytes");
        }
        maskedShare = maskedShare.clone();
    }

    @Override
    public byte[] maskedShare() {
        return maskedShare.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredKey k && k.keyId.equals(keyId) && k.version == version
                && k.jointKey.equals(jointKey) && java.util.Arrays.equals(k.maskedShare, maskedShare);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, version, jointKey);
    }

    @Override
    public String toString() {
        return "StoredKey[" + keyId + " v" + version + ", " + jointKey + ", share=[redacted]]";
    }
}
