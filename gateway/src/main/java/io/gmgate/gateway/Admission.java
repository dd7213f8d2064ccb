package io.gmgate.gateway;

/** Turns a refused {@link AdmissionControl.Verdict} into the error an operator reads. */
final class Admission {

    private Admission() {
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
