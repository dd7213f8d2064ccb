package io.gmgate.tlcp;

/** Alert descriptions of GB/T 38636-2020 §6.3.2 (the TLS 1.1 set plus TLCP's own 200..205). */
public enum Alert {
    CLOSE_NOTIFY(0), UNEXPECTED_MESSAGE(10), BAD_RECORD_MAC(20), DECRYPTION_FAILED(21), RECORD_OVERFLOW(22),
    DECOMPRESSION_FAILURE(30), HANDSHAKE_FAILURE(40), BAD_CERTIFICATE(42), UNSUPPORTED_CERTIFICATE(43),
    CERTIFICATE_REVOKED(44), CERTIFICATE_EXPIRED(45), CERTIFICATE_UNKNOWN(46), ILLEGAL_PARAMETER(47),
    UNKNOWN_CA(48), ACCESS_DENIED(49), DECODE_ERROR(50), DECRYPT_ERROR(51), PROTOCOL_VERSION(70),
    INSUFFICIENT_SECURITY(71), INTERNAL_ERROR(80), USER_CANCELED(90), NO_RENEGOTIATION(100),
    UNSUPPORTED_EXTENSION(110), UNSUPPORTED_SITE2SITE(200), NO_AREA(201), UNSUPPORTED_AREATYPE(202),
    BAD_IBCPARAM(203), UNSUPPORTED_IBCPARAM(204), IDENTITY_NEED(205);

    public final int code;

    Alert(int code) {
        this.code = code;
    }

    public static String name(int code) {
        for (Alert a : values()) {
            if (a.code == code) {
                return a.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return "alert(" + code + ")";
    }
}
