package io.gmgate.ca;

import io.gmgate.error.ErrorCode;

/** CA-100..199 (certificate authority) and CERT-200..299 (certificates as the CA sees them). */
public final class CaErrors {

    public static final ErrorCode CA_UNAVAILABLE = new ErrorCode("CA-100",
            "the certificate authority did not answer (connection refused, timeout, or HTTP error)",
            "retry later; if it persists the operator should check the CA line or switch to the backup CA (runbook docs/runbooks/C3-ca-down.md)", true);
    public static final ErrorCode ALL_CAS_DOWN = new ErrorCode("CA-101",
            "every configured certificate authority is down or its circuit breaker is open",
            "existing certificates keep working; retry later, or the operator enables one-way TLCP (runbook docs/runbooks/C3-ca-down.md)", true);
    public static final ErrorCode REQUEST_REJECTED = new ErrorCode("CA-102",
            "the certificate request was rejected: bad signature, wrong key type or a missing field",
            "create a new request with an SM2 key signed with SM3withSM2 and the default ID; do not retry unchanged", false);
    public static final ErrorCode OUTSIDE_RENEWAL_WINDOW = new ErrorCode("CA-103",
            "the certificate is outside the online renewal window",
            "re-enrol: apply for a new certificate with account and password identification", false);
    public static final ErrorCode UNKNOWN_RENEWAL_CODE = new ErrorCode("CA-104",
            "the renewal code is unknown, expired, or belongs to another account",
            "start the renewal again to get a new renewal code", false);
    public static final ErrorCode CA_PROTOCOL = new ErrorCode("CA-105",
            "the certificate authority's answer was malformed, unprotected, or failed its protection check",
            "check the CA's shared secret or certificate in the configuration; report it to the CA vendor", false);
    public static final ErrorCode CA_REFUSED = new ErrorCode("CA-106",
            "the certificate authority refused the request (CMP error or rejection status)",
            "read the CA's reason in the message; fix the request or ask the CA operator", false);
    public static final ErrorCode CA_NOT_INITIALISED = new ErrorCode("CA-107",
            "the embedded CA has no root or issuing certificate yet",
            "run 'gmgate ca init' once, with the cipher card attached", false);
    public static final ErrorCode CA_STORE = new ErrorCode("CA-108",
            "the CA's certificate database could not be read or written",
            "check PostgreSQL is reachable and migrated; the request can be retried", true);
    public static final ErrorCode UNSUPPORTED = new ErrorCode("CA-109",
            "this certificate authority does not offer the requested operation",
            "use a CA that offers it (for CRLs, the embedded CA or the CA's own distribution point)", false);

    public static final ErrorCode RENEWAL_IN_PROGRESS = new ErrorCode("CA-110",
            "a renewal of this certificate was started and has not finished",
            "finish it with the renewal code shown when it started (更新码), or start again after that code expires", true);
    public static final ErrorCode ALREADY_RENEWED = new ErrorCode("CA-111",
            "this certificate has already been renewed",
            "use the certificate that replaced it; renew that one when its window opens", false);

    public static final ErrorCode UNKNOWN_CERTIFICATE = new ErrorCode("CERT-200",
            "no certificate with this serial number was issued here",
            "check the serial number and the issuing CA", false);
    public static final ErrorCode CERTIFICATE_REVOKED = new ErrorCode("CERT-201",
            "the certificate has been revoked",
            "apply for a new certificate (re-enrol)", false);
    public static final ErrorCode ENVELOPE_INVALID = new ErrorCode("CERT-202",
            "the enveloped encryption key could not be opened or does not match the encryption certificate",
            "re-request the encryption certificate; report it if it happens again", false);

    private CaErrors() {
    }
}
