package io.gmgate.keystore;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * One server key record as stored (V2 ks_keys): who it belongs to, its joint public key, its state and
 * the row version that optimistic updates must quote. {@code destroyedAt} is null unless DESTROYED.
 * {@code lockReasons} (V7) says who locked it: an ACTIVE or LOCKED key is LOCKED exactly while the set
 * is not empty.
 */
public record KeyRecord(long keyId, String account, String device, Purpose purpose, int keyVersion,
                        Sm2PublicKey publicKey, KeyState state, long rowVersion, Instant createdAt, Instant destroyedAt,
                        Set<LockReason> lockReasons) {

    public KeyRecord {
        lockReasons = lockReasons.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(lockReasons));
    }

    public boolean lockedFor(LockReason reason) {
        return lockReasons.contains(reason);
    }

    /** The associated data of this record's sealed share. */
    public ShareBinding binding() {
        return new ShareBinding(account, device, keyId, purpose, keyVersion);
    }

    @Override
    public String toString() {
        return "KeyRecord[" + keyId + " " + account + "/" + device + " " + purpose + " v" + keyVersion + " " + state
                + (lockReasons.isEmpty() ? "" : " " + lockReasons) + " row " + rowVersion + "]";
    }
}
