package io.gmgate.keystore;

import java.time.Instant;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * One server key record as stored (V2 ks_keys): who it belongs to, its joint public key, its state and
 * the row version that optimistic updates must quote. {@code destroyedAt} is null unless DESTROYED.
 */
public record KeyRecord(long keyId, String account, String device, Purpose purpose, int keyVersion,
                        Sm2PublicKey publicKey, KeyState state, long rowVersion, Instant createdAt, Instant destroyedAt) {

    /** The associated data of this record's sealed share. */
    public ShareBinding binding() {
        return new ShareBinding(account, device, keyId, purpose, keyVersion);
    }

    @Override
    public String toString() {
        return "KeyRecord[" + keyId + " " + account + "/" + device + " " + purpose + " v" + keyVersion + " " + state
                + " row " + rowVersion + "]";
    }
}
