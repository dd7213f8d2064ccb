package io.gmgate.keystore;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a server key record, with its legal transitions in one table (house style: state
 * machines as tables). LOCKED is reversible (PIN lockout, officer hold); REVOKED is not; DESTROYED is
 * the tombstone that only remains after the share was erased.
 */
public enum KeyState {
    ACTIVE, LOCKED, REVOKED, DESTROYED;

    private static final Map<KeyState, Set<KeyState>> ALLOWED = Map.of(
            ACTIVE, EnumSet.of(LOCKED, REVOKED, DESTROYED),
            LOCKED, EnumSet.of(ACTIVE, REVOKED, DESTROYED),
            REVOKED, EnumSet.of(DESTROYED),
            DESTROYED, EnumSet.noneOf(KeyState.class));

    public boolean canBecome(KeyState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Only an ACTIVE key's share may be opened for signing or decryption. */
    public boolean usable() {
        return this == ACTIVE;
    }
}
