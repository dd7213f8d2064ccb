package io.gmgate.keystore;

import io.gmgate.error.ErrorCode;

/** KEY-100..199: the shard store. */
public final class KeystoreErrors {

    public static final ErrorCode SHARE_INTEGRITY = new ErrorCode("KEY-100",
            "a stored key share failed its integrity check: altered, or copied from another account, device, key or version",
            "treat it as tampering: restore the share from backup and audit who changed the row", false);

    private KeystoreErrors() {
    }
}
