package io.gmgate.gateway;

/** Turns a refused {@link AdmissionControl.Verdict} into the error an operator reads. */
final class Admission {

    private Admission() {
    }

    /**
     * The record a refused client reads before the close: a fatal {@code access_denied} alert (49), in
     * TLCP's record version. TLCP and TLS 1.3 clients both parse an alert before the ServerHello; the
     * gateway's log and {@code gmgate_refused_total} carry the precise code (NET-300 or NET-301).
     */
    static byte[] alert() {
        return new byte[] {21, 1, 1, 0, 2, 2, (byte) io.gmgate.tlcp.Alert.ACCESS_DENIED.code};
    }

    static GatewayException refusal(AdmissionControl.Verdict verdict, String listener, String source) {
        return switch (verdict) {
            case AT_CAPACITY -> new GatewayException(GatewayErrors.TOO_MANY_CONNECTIONS,
                    "[" + listener + "] refused " + source + ": connection cap reached");
            case RATE_LIMITED -> new GatewayException(GatewayErrors.RATE_LIMITED,
                    "[" + listener + "] refused " + source + ": per-address rate exceeded");
            case ADMITTED -> throw new IllegalArgumentException("an admitted connection is not a refusal");
        };
    }
}
