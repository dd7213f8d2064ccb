package io.gmgate.session;

/**
 * Who asked for a mode change. The origin decides which transitions are legal
 * ({@link ModeTransitions}) and is kept in the history, so an auditor can tell an SRE's switch
 * from an automatic degradation or a time-to-live running out.
 */
public enum ModeOrigin {
    /** An SRE through {@code gmgate mode set} or the admin API. */
    OPERATOR,
    /** An automatic degradation rule (design §5: a circuit breaker open too long). */
    RULE,
    /** The setting's time-to-live ran out; the scope falls back to its wider scope. */
    EXPIRY
}
