package io.gmgate.keystore;

import io.gmgate.error.ErrorCode;

/** KEY-100..199: the shard store. */
public final class KeystoreErrors {

    public static final ErrorCode SHARE_INTEGRITY = new ErrorCode("KEY-100",
            "a stored key share failed its integrity check: altered, or copied from another account, device, key or version",
            "treat it as tampering: restore the share from backup and audit who changed the row", false);

    // KEY-170..179: backup and recovery (seed 003 §9.1 c; io.gmgate.keystore.backup).

    public static final ErrorCode BACKUP_TOO_FEW_SHARES = new ErrorCode("KEY-170",
            "fewer custodian shares than the backup's threshold M were given",
            "gather at least M custodians' shares (the message says M and how many were valid) and run the import again", false);
    public static final ErrorCode BACKUP_SHARE_INVALID = new ErrorCode("KEY-171",
            "a custodian share is malformed, belongs to another export, or does not match this export: wrong or tampered",
            "the message names the share's index: leave that share out and use another custodian's, and find out how it changed", false);
    public static final ErrorCode BACKUP_TAMPERED = new ErrorCode("KEY-172",
            "the backup export failed its integrity check: its header or a record was altered, reordered, truncated or extended",
            "do not use this copy: restore from another copy of the export and investigate who could write to it", false);
    public static final ErrorCode BACKUP_FORMAT = new ErrorCode("KEY-173",
            "the file is not a gmgate backup export, or of a format version this gmgate does not read",
            "check that the right file was given; a newer export needs the gmgate version that wrote it", false);
    public static final ErrorCode BACKUP_IO = new ErrorCode("KEY-174",
            "the backup export could not be read or written",
            "check the path, free space and permissions, then run the export or import again", true);

    private KeystoreErrors() {
    }
}
