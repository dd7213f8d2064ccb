package io.gmgate.cosign;

import io.gmgate.error.ErrorCode;

/**
 * COSIGN-100..199: the co-signing service as its clients see it (docs/cosign-api.md §3). COSIGN-001..019
 * are gm-crypto's two-party message codes; dependency failures keep their own prefixes (CA-, KEY-).
 */
public final class CosignErrors {

    // --- request shape (400, 413, 415, 404) ---
    public static final ErrorCode MALFORMED_JSON = new ErrorCode("COSIGN-100",
            "the request body is not one JSON object (syntax error, duplicate key, or nested too deep)",
            "fix the client: send one JSON object as the API document describes; do not retry unchanged", false);
    public static final ErrorCode UNKNOWN_FIELD = new ErrorCode("COSIGN-101",
            "the request has a field this operation does not define",
            "fix the client: remove the field (the message names it); do not retry unchanged", false);
    public static final ErrorCode INVALID_FIELD = new ErrorCode("COSIGN-102",
            "a field is missing, null, of the wrong JSON type, or outside its length, pattern or range",
            "fix the client: the message names the field and what it must be; do not retry unchanged", false);
    public static final ErrorCode BAD_BASE64 = new ErrorCode("COSIGN-103",
            "a binary field is not unpadded base64url, or decodes to the wrong number of bytes",
            "fix the client: binary values are base64url without padding (RFC 4648 section 5)", false);
    public static final ErrorCode BAD_MESSAGE = new ErrorCode("COSIGN-104",
            "a binary field does not decode: a point off the SM2 curve or at infinity, a number outside [1, n-1], a bad proof or a CSR that is not DER PKCS#10",
            "the client is faulty or the data was altered in transit: start the operation again; report it if it repeats", false);
    public static final ErrorCode BODY_TOO_LARGE = new ErrorCode("COSIGN-105",
            "the request body is larger than the service accepts (64 KiB)",
            "fix the client: no operation needs more than a few kilobytes", false);
    public static final ErrorCode UNSUPPORTED_MEDIA_TYPE = new ErrorCode("COSIGN-106",
            "the request's Content-Type is not application/json (UTF-8)",
            "fix the client: send Content-Type: application/json", false);
    public static final ErrorCode NO_SUCH_OPERATION = new ErrorCode("COSIGN-107",
            "no such operation: unknown path, or a method other than POST",
            "check the SDK and the service are of compatible versions (API v1)", false);

    public static final ErrorCode NO_POLICY = new ErrorCode("COSIGN-109",
            "no signed access policy has been published for terminals yet",
            "the firm publishes one with gmgate policy publish; until then terminals keep the endpoints they were given", false);

    // --- identity, sessions, nonces ---
    public static final ErrorCode LOGIN_FAILED = new ErrorCode("COSIGN-110",
            "login failed: unknown account or wrong password",
            "check the account and password; after 5 failures the account waits 15 minutes", false);
    public static final ErrorCode ACCOUNT_DISABLED = new ErrorCode("COSIGN-111",
            "the account is disabled",
            "ask the firm's operator to enable the account", false);
    public static final ErrorCode SESSION_INVALID = new ErrorCode("COSIGN-112",
            "the session is unknown or has expired",
            "log in again", false);
    public static final ErrorCode WRONG_DEVICE = new ErrorCode("COSIGN-113",
            "the session was opened for another device",
            "log in from this device; a session is bound to the device named at login", false);
    public static final ErrorCode NONCE_INVALID = new ErrorCode("COSIGN-114",
            "the request nonce is unknown, already used, expired, or belongs to another session",
            "get a fresh nonce (/v1/nonces) and send the request again; never resend a nonce", false);
    public static final ErrorCode PASSWORD_CHANGE_REQUIRED = new ErrorCode("COSIGN-115",
            "the password must be changed before anything else",
            "change the password (/v1/password), then continue", false);
    public static final ErrorCode IDENTITY_RECHECK_FAILED = new ErrorCode("COSIGN-116",
            "the identity re-check of a sensitive operation failed (wrong password)",
            "enter the account password again; failures count towards the login limit", false);
    public static final ErrorCode IDENTITY_SERVICE_DOWN = new ErrorCode("COSIGN-117",
            "the identity verifier (the firm's account system) did not answer",
            "retry shortly; if it persists the operator checks the identity callback", true);
    public static final ErrorCode PASSWORD_CHANGE_UNSUPPORTED = new ErrorCode("COSIGN-118",
            "passwords are managed by the firm's own system, not by gmgate",
            "change the password where the firm's system offers it", false);
    public static final ErrorCode PASSWORD_TOO_WEAK = new ErrorCode("COSIGN-119",
            "the new password is too weak (shorter than 8 characters, or equal to the old password or the account)",
            "choose a longer password that differs from the old one and from the account name", false);

    // --- limits ---
    public static final ErrorCode ACCOUNT_RATE_LIMITED = new ErrorCode("COSIGN-120",
            "too many requests or failed logins for this account",
            "wait retryAfterSeconds, then retry", true);
    public static final ErrorCode ADDRESS_RATE_LIMITED = new ErrorCode("COSIGN-121",
            "too many requests from this network address",
            "wait retryAfterSeconds, then retry", true);
    public static final ErrorCode OVERLOADED = new ErrorCode("COSIGN-122",
            "this co-signing node is overloaded (too many requests in flight)",
            "retry after retryAfterSeconds, preferably on another node", true);
    public static final ErrorCode DECRYPT_RATE_LIMITED = new ErrorCode("COSIGN-123",
            "the account's co-decryption budget is used up",
            "wait retryAfterSeconds; co-decryption is limited because the server step is a key oracle", true);

    // --- the listener: who the client is, and what one client may hold open ---
    public static final ErrorCode PROXY_HEADER_NOT_ALLOWED = new ErrorCode("COSIGN-125",
            "the connection began with a PROXY protocol header but does not come from a configured gateway",
            "connect without a PROXY header, or list the gateway's address in cosign.trustedProxies", false);
    public static final ErrorCode PROXY_HEADER_MISSING = new ErrorCode("COSIGN-126",
            "a configured gateway's connection did not begin with a valid PROXY v2 header naming the client",
            "check the gateway relays to cosign nodes with the PROXY header (gmgate gateway of this version); "
                    + "remove the address from cosign.trustedProxies if it is not a gateway", false);
    public static final ErrorCode SOURCE_LIMITED = new ErrorCode("COSIGN-127",
            "too many open connections or requests in flight from this client address",
            "finish or close the other connections of this address, then retry after retryAfterSeconds", true);
    public static final ErrorCode REQUEST_TIMEOUT = new ErrorCode("COSIGN-128",
            "the request did not arrive completely within the body-read timeout",
            "send the whole request at once; on a very slow link retry, and ask the operator about cosign.bodyTimeout", true);

    // --- idempotency ---
    public static final ErrorCode IDEMPOTENCY_MISMATCH = new ErrorCode("COSIGN-130",
            "the idempotency key was already used with a different request",
            "use a new idempotency key for a new request; resend an old one only unchanged", false);
    public static final ErrorCode IN_PROGRESS = new ErrorCode("COSIGN-131",
            "a request with this idempotency key is still being processed (possibly by another node)",
            "retry the same request after retryAfterSeconds", true);

    // --- keys and enrolment ---
    public static final ErrorCode NO_SUCH_KEY = new ErrorCode("COSIGN-140",
            "no such key for this device, or the device is not enrolled",
            "apply for a certificate first (enrol), or check the key id from login or status", false);
    public static final ErrorCode PIN_LOCKED = new ErrorCode("COSIGN-141",
            "the key is locked after too many unconfirmed signing attempts (wrong PIN)",
            "reset the PIN (identity check), or ask the operator to unlock", false);
    public static final ErrorCode KEY_LOCKED = new ErrorCode("COSIGN-142",
            "the key is locked by the trader (the account's own lock, e.g. for a lost device)",
            "unlock it with the account password (/v1/unlock); a PIN lock or an operator's lock may remain and is named then", false);
    public static final ErrorCode KEY_REVOKED = new ErrorCode("COSIGN-143",
            "the key is revoked or destroyed",
            "apply for a new certificate (re-enrol)", false);
    public static final ErrorCode ALREADY_ENROLLED = new ErrorCode("COSIGN-144",
            "this device is already enrolled with a valid certificate",
            "renew the certificate instead, or revoke it first", false);
    public static final ErrorCode WRONG_KEY = new ErrorCode("COSIGN-145",
            "this key cannot be used for this operation (wrong purpose, or a pending key outside its enrolment session)",
            "use the sign key to sign and the encryption key to decrypt; finish or restart the enrolment", false);
    public static final ErrorCode CSR_MISMATCH = new ErrorCode("COSIGN-146",
            "the certificate request is not signed by the key being certified",
            "co-sign the PKCS#10 request with the joint sign key of this enrolment", false);
    public static final ErrorCode CONFIRMATION_INVALID = new ErrorCode("COSIGN-147",
            "the signature confirmation is invalid: unknown, expired or foreign attempt, or a signature that does not verify "
                    + "for the attempt's digest and r (such a signature is also counted as a PIN try)",
            "confirm only signatures that verified under the joint key, within 10 minutes, in the same session", false);
    public static final ErrorCode PIN_NOT_PROVEN = new ErrorCode("COSIGN-148",
            "this operation needs the PIN proven: a confirmed co-signature from this session and no unconfirmed attempt since",
            "co-sign once, then send the request with that confirmation", false);
    public static final ErrorCode NO_PENDING_ENROLMENT = new ErrorCode("COSIGN-149",
            "there is no pending enrolment with this id for this device",
            "start the enrolment again (/v1/enrol/keys)", false);
    public static final ErrorCode DEVICE_EXISTS = new ErrorCode("COSIGN-151",
            "the new device already has keys",
            "choose another device id, or revoke that device first", false);
    public static final ErrorCode NO_SUCH_DEVICE = new ErrorCode("COSIGN-152",
            "no such device for this account",
            "check the device id (status lists the account's devices)", false);
    public static final ErrorCode UNLOCK_NOT_ALLOWED = new ErrorCode("COSIGN-153",
            "this lock cannot be lifted this way",
            "a PIN lock is lifted by the PIN reset; an operator lock by the operator", false);
    public static final ErrorCode PIN_RESET_NOT_STARTED = new ErrorCode("COSIGN-157",
            "no PIN reset was started in this session (or it was started more than 15 minutes ago)",
            "call /v1/pin/reset/start with the password in this session, then finish the reset", false);
    public static final ErrorCode DEVICE_APPROVAL_REQUIRED = new ErrorCode("COSIGN-155",
            "this account's certificate is live on another device: a new device is added from that device, or needs an operator's approval",
            "add the device from a device you already use (devices/add), or ask the operator to approve this device, then enrol within 24 hours", false);
    public static final ErrorCode NEW_DEVICE_NOTICE = new ErrorCode("COSIGN-165",
            "a device was added to this account since this device last logged in",
            "if you did not add it, lock it (/v1/lock with its name), change your password and call the operator", false);
    public static final ErrorCode KEY_LOCKED_BY_OPERATOR = new ErrorCode("COSIGN-154",
            "the key is locked by an operator (its sign and encryption keys both); neither the trader's unlock nor a PIN reset lifts it",
            "call the operator, who checks the holder and lifts the lock (gmgate admin)", false);

    // --- warnings (login and status) ---
    public static final ErrorCode CERT_EXPIRING = new ErrorCode("COSIGN-160",
            "the sign certificate expires soon",
            "renew it now (online renewal is open from 90 days before expiry)", false);
    public static final ErrorCode CERT_EXPIRED_RENEWABLE = new ErrorCode("COSIGN-161",
            "the certificate has expired but is still inside the online renewal window",
            "renew it now, before the window closes", false);
    public static final ErrorCode CERT_EXPIRED = new ErrorCode("COSIGN-162",
            "the certificate expired beyond the online renewal window",
            "apply for a new certificate (re-enrol)", false);
    public static final ErrorCode RENEWAL_PENDING = new ErrorCode("COSIGN-163",
            "a certificate renewal was started and not finished",
            "resume it with the renewal code", false);
    public static final ErrorCode KEY_LOCKED_WARNING = new ErrorCode("COSIGN-164",
            "a key of this device is locked",
            "reset the PIN, unlock, or ask the operator, as the key's lock reason says", false);

    public static final ErrorCode INTERNAL = new ErrorCode("COSIGN-199",
            "an unexpected error in the co-signing service",
            "retry once; if it repeats, report the reference id in the message to the operator", true);

    private CosignErrors() {
    }
}
