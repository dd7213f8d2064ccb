package io.gmgate.tlcp.tls13;

import io.gmgate.error.ErrorCode;

/**
 * Error codes of the TLS 1.3 (RFC 8998) engine and the protocol sniffer: TLS-150..TLS-169 of the
 * tlcp module's TLS-100..199 range. The peer sees a TLS alert; logs and callers see these.
 */
public final class Tls13Errors {

    public static final ErrorCode MALFORMED = new ErrorCode("TLS-150",
            "the TLS 1.3 peer sent a message that does not parse (bad length, truncated or garbled record or handshake message)",
            "the peer is not speaking TLS 1.3 correctly or the stream was cut; check the peer's software and the network path", false);
    public static final ErrorCode NO_COMMON_PARAMETERS = new ErrorCode("TLS-151",
            "no TLS 1.3 parameters in common: the peer offers no TLS_SM4_GCM_SM3, curveSM2 or sm2sig_sm3, or not TLS 1.3",
            "enable TLS 1.3 with TLS_SM4_GCM_SM3, group curveSM2 and signature scheme sm2sig_sm3 on the peer, or connect with TLCP", false);
    public static final ErrorCode PEER_CERTIFICATE_REJECTED = new ErrorCode("TLS-152",
            "the peer's certificate chain was rejected (not SM2, untrusted root, bad signature, expired or wrong key usage)",
            "check the peer's certificate is issued by a configured root, is valid today and is an SM2 signing certificate", false);
    public static final ErrorCode ALERT_RECEIVED = new ErrorCode("TLS-153",
            "the TLS 1.3 peer ended the handshake or connection with a fatal alert",
            "read the alert named in the message; it usually means the peer refused our certificate or parameters", false);
    public static final ErrorCode CLIENT_CERTIFICATE_REQUIRED = new ErrorCode("TLS-154",
            "the server requires a client certificate and the client sent none",
            "configure the client with its SM2 certificate and key, or connect to a listener that does not require one", false);
    public static final ErrorCode RECORD_INTEGRITY = new ErrorCode("TLS-155",
            "a TLS 1.3 record failed SM4-GCM authentication or exceeded the record size limit",
            "the data was altered in transit or the peer is faulty; reconnect, and check the path if it repeats", true);
    public static final ErrorCode ENGINE_STATE = new ErrorCode("TLS-156",
            "the TLS 1.3 engine was used out of order (application data before the handshake finished, or after close)",
            "this is a bug in the caller: wait for the handshake to finish and do not use a closed engine", false);
    public static final ErrorCode BAD_CONFIGURATION = new ErrorCode("TLS-157",
            "the TLS 1.3 configuration is unusable (certificate not SM2, key does not match the certificate, no trust roots)",
            "fix the listener's certificate, key or trust roots in the configuration", false);
    public static final ErrorCode SIGN_FAILED = new ErrorCode("TLS-158",
            "the private-key operation for the TLS 1.3 CertificateVerify signature failed",
            "check the cipher card or signing service that holds the key; the KEY- or COSIGN- error in the cause says more", true);
    public static final ErrorCode HANDSHAKE_FAILED = new ErrorCode("TLS-159",
            "the TLS 1.3 handshake failed for a reason not covered by a more specific code",
            "read the alert and cause in the message; retry once, then report it with the message", true);

    private Tls13Errors() {
    }
}
