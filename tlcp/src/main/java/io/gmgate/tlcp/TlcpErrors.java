package io.gmgate.tlcp;

import io.gmgate.error.ErrorCode;

/**
 * TLS-100..TLS-149 and CERT-100..CERT-149 (CERT-120..CERT-129: the certification path): the TLCP engine (GB/T 38636-2020). The peer sees an
 * alert; logs and callers see these codes.
 */
public final class TlcpErrors {

    public static final ErrorCode MALFORMED = new ErrorCode("TLS-100",
            "the TLCP peer sent bytes that do not parse: a bad length, a truncated or garbled record or handshake message",
            "the peer is not speaking TLCP correctly or the stream was cut; check the peer's software and the network path", false);
    public static final ErrorCode UNEXPECTED_MESSAGE = new ErrorCode("TLS-101",
            "the TLCP peer sent a message the handshake does not allow at this point",
            "the peer's TLCP implementation disagrees with GB/T 38636-2020 here; report it with the message", false);
    public static final ErrorCode VERSION = new ErrorCode("TLS-102",
            "the peer does not speak TLCP 1.1 (version 0x0101)",
            "connect with a TLCP client (GM/T 0024 / GB/T 38636-2020), or to the TLS 1.3 listener", false);
    public static final ErrorCode NO_COMMON_SUITE = new ErrorCode("TLS-103",
            "no cipher suite in common: the peer offers none of ECC_SM4_CBC_SM3, ECC_SM4_GCM_SM3, ECDHE_SM4_CBC_SM3, ECDHE_SM4_GCM_SM3 that is enabled here",
            "enable a common suite on one side (the clearing houses use ECC-SM4-SM3 and ECDHE-SM4-SM3)", false);
    public static final ErrorCode BAD_RECORD_MAC = new ErrorCode("TLS-104",
            "a TLCP record failed its integrity check (HMAC-SM3 or SM4-GCM tag)",
            "the data was altered in transit or the keys disagree; reconnect, and check the path if it repeats", true);
    public static final ErrorCode RECORD_OVERFLOW = new ErrorCode("TLS-105",
            "a TLCP record is longer than the protocol allows",
            "the peer is faulty or hostile; check its software", false);
    public static final ErrorCode HANDSHAKE_FAILED = new ErrorCode("TLS-106",
            "the TLCP handshake failed: a signature, the key exchange or the Finished check did not verify",
            "check both sides use matching certificates and keys; a wrong private key or a modified message causes this", false);
    public static final ErrorCode ALERT_RECEIVED = new ErrorCode("TLS-107",
            "the TLCP peer ended the handshake or connection with a fatal alert",
            "read the alert named in the message: bad_certificate or unknown_ca usually means the peer refused our certificate", false);
    public static final ErrorCode CLIENT_CERTIFICATE_REQUIRED = new ErrorCode("TLS-108",
            "the server requires a client certificate (two-way TLCP) and the client sent none",
            "enrol the terminal for a certificate, or use the one-way listener (:8090) for enrolment", false);
    public static final ErrorCode RENEGOTIATION_REFUSED = new ErrorCode("TLS-109",
            "the peer tried to renegotiate, which gmgate refuses",
            "reconnect instead of renegotiating", false);
    public static final ErrorCode ENGINE_STATE = new ErrorCode("TLS-110",
            "the TLCP engine was used out of order (application data before the handshake, or after close)",
            "this is a bug in the caller: wait for the handshake to finish and do not use a closed engine", false);
    public static final ErrorCode BAD_CONFIGURATION = new ErrorCode("TLS-111",
            "the TLCP configuration is unusable: missing sign or enc certificate, key not matching its certificate, or no trust roots for client auth",
            "fix the listener's or client's certificates, keys and roots in the configuration", false);
    public static final ErrorCode KEY_OPERATION_FAILED = new ErrorCode("TLS-112",
            "the private-key operation for TLCP (sign or SM2 decrypt) failed",
            "check the cipher card or co-signing service holding the key; the KEY- or COSIGN- code in the cause says more", true);
    public static final ErrorCode CLOSED = new ErrorCode("TLS-113",
            "the TLCP connection was closed by the peer before the exchange finished",
            "reconnect; if it repeats, look at the peer's log for why it closed", true);
    public static final ErrorCode ACCESS_DENIED = new ErrorCode("TLS-115",
            "the gateway refused the connection before the handshake (access_denied): too many connections or handshakes from this address, or the node is saturated",
            "retry shortly, or through another gateway node; if it persists the operator should check the admission limits (docs/operations.md, admission.* in docs/configuration.md)", true);
    public static final ErrorCode RESUMPTION_REFUSED = new ErrorCode("TLS-114",
            "the client offered a session this listener will not resume: it was created on another listener, or without the client certificate this listener requires; a full handshake was run instead",
            "nothing to do for a legitimate terminal (it authenticates again); repeated refusals from one source are a probe worth a look", false);

    public static final ErrorCode PEER_CERTIFICATE_UNTRUSTED = new ErrorCode("CERT-100",
            "the peer's certificate does not chain to a configured root, or a signature in the chain is wrong",
            "install the issuing CA's root on this side, or use a certificate from the configured CA", false);
    public static final ErrorCode PEER_CERTIFICATE_EXPIRED = new ErrorCode("CERT-101",
            "the peer's certificate is expired or not yet valid",
            "renew the certificate (online renewal works up to 90 days after expiry), and check both clocks", false);
    public static final ErrorCode PEER_CERTIFICATE_USAGE = new ErrorCode("CERT-102",
            "the peer's certificate has the wrong key usage: the sign certificate must allow digitalSignature, the enc certificate keyEncipherment/keyAgreement",
            "issue the double certificate with the GM/T 0015 profiles", false);
    public static final ErrorCode PEER_CERTIFICATE_REVOKED = new ErrorCode("CERT-103",
            "the peer's certificate is revoked, or its key is locked or destroyed",
            "the trader must re-enrol, or an operator must unlock the key if it was locked by mistake", false);
    public static final ErrorCode PEER_CERTIFICATE_MISSING = new ErrorCode("CERT-104",
            "the peer sent an incomplete certificate list: TLCP needs a sign and an encryption certificate",
            "configure the peer with its double certificate (sign + enc)", false);
    public static final ErrorCode SERVER_NOT_GATEWAY = new ErrorCode("CERT-140",
            "the server is not a gmgate gateway for the host the terminal dialled: its certificates lack the gateway role (EKU serverAuth), are not issued by CA certificates up to a root, or do not name that host in their subjectAltName",
            "connect to the gateway's published name or address; if it is the real gateway, reissue its certificates with `gmgate ca` and the listener's DNS names and addresses. Never enter a password here: this may be someone else's server", false);
    public static final ErrorCode SERVER_NOT_PINNED = new ErrorCode("CERT-141",
            "the server's certificates match none of the gateway pins configured for this terminal",
            "if the gateway's certificates or CA were replaced on purpose, update the pins (docs/terminal.md); otherwise this is not your gateway", false);

    public static final ErrorCode ISSUER_NOT_CA = new ErrorCode("CERT-120",
            "a certificate in the peer's path was issued by a certificate without basicConstraints cA=TRUE (a leaf used as an issuer, or a CA certificate marked cA=false or missing the flag)",
            "only CA certificates can issue; a trader's or gateway's certificate never can. Refuse the peer; if the CA's own certificate lacks the flag, reissue it with the CA profile", false);
    public static final ErrorCode ISSUER_KEY_USAGE = new ErrorCode("CERT-121",
            "a CA certificate in the peer's path has no keyUsage keyCertSign",
            "reissue the CA certificate with keyCertSign (and cRLSign) in its key usage", false);
    public static final ErrorCode PATH_TOO_LONG = new ErrorCode("CERT-122",
            "the peer's path breaks a basicConstraints path length constraint of one of its CAs",
            "issue the certificate from a CA allowed to issue it (an issuing CA with pathLen 0 cannot have CAs below it)", false);
    public static final ErrorCode UNKNOWN_CRITICAL_EXTENSION = new ErrorCode("CERT-123",
            "a certificate in the peer's path carries a critical extension gmgate does not process (RFC 5280 §4.2)",
            "issue the certificate without that extension, or mark it non-critical; the message names its OID", false);
    public static final ErrorCode PAIR_ISSUERS_DIFFER = new ErrorCode("CERT-124",
            "the peer's sign and encryption certificates were issued by different CAs (GM/T 0015 double certificate)",
            "present the sign and encryption certificates of one double certificate, issued together by one CA", false);
    public static final ErrorCode PAIR_SWAPPED = new ErrorCode("CERT-125",
            "the peer sent its encryption certificate first and its sign certificate second (GB/T 38636-2020 §6.4.5.3 wants sign first)",
            "fix the peer's certificate order: sign certificate, then encryption certificate, then the CA certificates", false);
    public static final ErrorCode ISSUER_REVOKED = new ErrorCode("CERT-126",
            "a CA certificate in the peer's path is revoked by its issuer",
            "the CA was withdrawn: the peer needs a certificate from a current CA; check the CRLs configured for this site", false);

    public static final ErrorCode NOT_ON_RECORD = new ErrorCode("CERT-127",
            "the peer's certificate is not the one the CA recorded for its issuer and serial, or no record (issued certificate or key record) vouches for it",
            "a certificate must be presented exactly as the CA issued it; a forged or re-signed certificate, or a whole-key certificate this site does not accept (gateway.tlcp.acceptExternalWholeKeys), is refused", false);

    private TlcpErrors() {
    }
}
