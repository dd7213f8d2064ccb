package io.gmgate.keystore;

import io.gmgate.error.ErrorCode;

/** KEY-100..149: the shard store (KEY-150..199 belong to the PKCS#11 and SDF cards). */
public final class KeystoreErrors {

    public static final ErrorCode SHARE_INTEGRITY = new ErrorCode("KEY-100",
            "a stored key share failed its integrity check: altered, or copied from another account, device, key or version",
            "treat it as tampering: restore the share from backup and audit who changed the row", false);
    public static final ErrorCode DATABASE_UNAVAILABLE = new ErrorCode("KEY-101",
            "the key store database did not answer (connection refused or lost, pool timed out, failover in progress)",
            "retry shortly; if it persists check PostgreSQL and the network path to it", true);
    public static final ErrorCode NOT_FOUND = new ErrorCode("KEY-102",
            "no such account, device or key record in the key store",
            "check the identifiers; the device may need to be enrolled first", false);
    public static final ErrorCode CONFLICT = new ErrorCode("KEY-103",
            "the key record was changed by someone else since it was read (stale row version)",
            "re-read the key record and decide again with its current state", true);
    public static final ErrorCode DESTROYED = new ErrorCode("KEY-104",
            "the key was destroyed: only its tombstone remains",
            "the device must enrol a new key; nothing can bring the old one back", false);
    public static final ErrorCode KEY_NOT_USABLE = new ErrorCode("KEY-105",
            "the key is LOCKED or REVOKED and cannot be used",
            "a key officer unlocks a LOCKED key after checking the holder; a REVOKED key needs re-enrolment", false);
    public static final ErrorCode ILLEGAL_TRANSITION = new ErrorCode("KEY-106",
            "the requested key state change is not allowed from the key's current state",
            "see the allowed transitions (ACTIVE<->LOCKED, ACTIVE/LOCKED->REVOKED, any->DESTROYED)", false);
    public static final ErrorCode ALREADY_EXISTS = new ErrorCode("KEY-107",
            "an account, device or key with these identifiers already exists",
            "use the existing record, or choose other identifiers", false);
    public static final ErrorCode PIN_LOCKED = new ErrorCode("KEY-108",
            "too many failed signing attempts (wrong PIN): the device's keys are locked",
            "the holder calls the key officer, who checks identity and unlocks the key", false);
    public static final ErrorCode AUDIT_CHAIN_BROKEN = new ErrorCode("KEY-109",
            "the audit log's MAC chain is broken: a record was deleted, reordered or edited",
            "preserve the database as evidence, compare it with a backup, and investigate who had write access", false);
    public static final ErrorCode DATABASE_ERROR = new ErrorCode("KEY-110",
            "the key store database refused a statement (schema missing or older than this build, permissions)",
            "run the migrations (gmgate migrates on start) and check the database role's grants", false);
    public static final ErrorCode INVALID_ARGUMENT = new ErrorCode("KEY-111",
            "a key store request carried an invalid value (empty or over-long name, bad version, bad setting)",
            "fix the caller: names are 1-128 characters, versions start at 1", false);
    public static final ErrorCode BACKUP_TOO_FEW_SHARES = new ErrorCode("KEY-113",
            "fewer custodian shares were given than the backup's threshold M",
            "bring M custodians with their shares of this backup (the header names M and N)", false);

    public static final ErrorCode BACKUP_SHARE_INVALID = new ErrorCode("KEY-114",
            "a custodian share is malformed, wrong, tampered with, or belongs to another backup",
            "the message names the share's index: check that custodian's share against their sealed copy, or leave it out and use another custodian's", false);

    public static final ErrorCode BACKUP_TAMPERED = new ErrorCode("KEY-115",
            "the backup file failed its integrity check: its header or a record was altered, reordered, truncated or extended",
            "restore from another copy of the backup; keep backups on write-once media", false);

    // KEY-130..139: locks with reasons and sealed rows (docs/security.md, "Key rows and locks").

    public static final ErrorCode ROW_SEAL_BROKEN = new ErrorCode("KEY-130",
            "a key record or PIN counter row does not match its cipher-card seal: its state, lock reasons, version or counts "
                    + "were edited in SQL, its seal was removed, or the row was put back from an older copy",
            "treat it as tampering: the key stays refused; compare the row with the audit log (gmgate audit verify names it), "
                    + "find who had write access, and have a key officer restore or re-enrol the key", false);
    public static final ErrorCode DESTROYED_KEY_RESTORED = new ErrorCode("KEY-131",
            "a destroyed key's row is back (restored from an old copy): its sealed tombstone says it was destroyed",
            "treat it as tampering: the key is refused for good; find who restored rows, and destroy the restored share again", false);
    public static final ErrorCode LOCKED_BY_OPERATOR = new ErrorCode("KEY-132",
            "the key is locked by an operator or key officer",
            "only an operator lifts this lock (gmgate admin, certificate unlock) after checking the holder", false);
    public static final ErrorCode LOCKED_BY_HOLDER = new ErrorCode("KEY-133",
            "the key is locked by its holder (the trader locked the device)",
            "the holder unlocks it from the terminal after an identity re-check", false);

    public static final ErrorCode ROTATION_INCOMPLETE = new ErrorCode("KEY-112",
            "KEK rotation stopped before every wrapped key and sealed row was moved (rows stayed locked, or the job was interrupted)",
            "run gmgate card rotate-kek --resume: it moves what is left to the current KEK version without making another; "
                    + "the old KEK version must stay in the card until it ends", true);
    public static final ErrorCode ROTATION_LEFT_TAMPERED_ROWS = new ErrorCode("KEY-116",
            "KEK rotation moved every row but some whose wrapped key or seal did not verify: they were edited outside gmgate "
                    + "and were left as they were, so they stay detected",
            "treat them as tampering (gmgate audit verify names them; KEY-100, KEY-130); keep the old KEK version in the card "
                    + "while they exist; after a key officer restored or destroyed them, run gmgate card rotate-kek --resume", false);

    // KEY-170..179: backup and recovery, beyond KEY-113..115 (docs/backup.md; io.gmgate.keystore.backup).

    public static final ErrorCode BACKUP_FORMAT = new ErrorCode("KEY-170",
            "the file is not a gmgate backup export, or of a format version this gmgate does not read",
            "check that the right file was given; a newer export needs the gmgate version that wrote it", false);
    public static final ErrorCode BACKUP_IO = new ErrorCode("KEY-171",
            "the backup export could not be read or written",
            "check the path, free space and permissions, then run the export or import again", true);

    private KeystoreErrors() {
    }
}
