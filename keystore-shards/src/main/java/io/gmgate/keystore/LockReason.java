package io.gmgate.keystore;

/**
 * Why a key is LOCKED (docs/security.md, "Key rows and locks"). A key keeps a set of reasons and is LOCKED while the set is
 * not empty; each reason is lifted only by whoever may lift it, so one party's unlock never lifts
 * another's lock.
 */
public enum LockReason {
    /** The PIN-guess counter reached its threshold; lifted by a PIN reset (after an identity re-check) or a key officer. */
    PIN,
    /** The holder locked his own device (a lost laptop); lifted by the holder's unlock after an identity re-check. */
    TRADER,
    /** A key officer or operator locked it; lifted by an operator only. */
    OPERATOR
}
