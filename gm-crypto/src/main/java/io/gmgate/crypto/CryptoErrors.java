package io.gmgate.crypto;

import io.gmgate.error.ErrorCode;

/** Error codes raised by gm-crypto itself. Callers usually wrap these in their own subsystem's code. */
public final class CryptoErrors {

    public static final ErrorCode MALFORMED_KEY = new ErrorCode("KEY-001",
            "a key or certificate could not be decoded (bad PEM/DER, wrong curve, or out-of-range value)",
            "check the file is an SM2 key or certificate on sm2p256v1 and was not truncated", false);
    public static final ErrorCode DECRYPT_FAILED = new ErrorCode("KEY-002",
            "SM2 or SM4 decryption failed: wrong key, or the ciphertext was altered",
            "check the right key is used; if it persists the data is corrupt and must be restored", false);
    public static final ErrorCode INVALID_POINT = new ErrorCode("COSIGN-001",
            "a peer sent an elliptic-curve point that is not on the SM2 curve or is the point at infinity",
            "the peer is faulty or hostile: do not retry with it, report it", false);
    public static final ErrorCode INVALID_SCALAR = new ErrorCode("COSIGN-002",
            "a peer sent a number outside [1, n-1]",
            "the peer is faulty or hostile: do not retry with it, report it", false);
    public static final ErrorCode PROOF_REJECTED = new ErrorCode("COSIGN-003",
            "a zero-knowledge proof of a key share did not verify for this session, account and device",
            "restart enrolment; a proof from another session is never accepted", false);
    public static final ErrorCode COSIGNATURE_INVALID = new ErrorCode("COSIGN-004",
            "the co-signing server's answer did not produce a valid signature under the joint public key",
            "the wrong PIN was used, or the server is faulty; check the PIN, then contact the operator", false);
    public static final ErrorCode PUBLIC_KEY_MISMATCH = new ErrorCode("COSIGN-005",
            "the joint public key announced by the server does not match the client's own computation",
            "abort enrolment: the server may have substituted its own key; contact the operator", false);

    public static final ErrorCode COSIGNATURE_RETRY = new ErrorCode("COSIGN-006",
            "a co-signing round ended in s = 0 or r + s = n, which GB/T 32918.2 says to discard (probability about 2^-256)",
            "start a new signing round with fresh nonces", true);
    public static final ErrorCode KEY_SHARE_MALFORMED = new ErrorCode("KEY-003",
            "a stored two-party key share could not be decoded (wrong length, version or out-of-range value)",
            "restore the share from backup, or re-enrol the device", false);

    private CryptoErrors() {
    }
}
