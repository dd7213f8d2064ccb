package io.gmgate.policy;

import io.gmgate.error.ErrorCode;

/** What a signed access policy can fail with, wherever it is checked: on the terminal, in the agent, at the console. */
public final class PolicyErrors {

    public static final ErrorCode POLICY_UNSIGNED = new ErrorCode("MODE-400",
            "an access policy arrived unsigned, malformed, or not signed by the firm's policy key",
            "keep the current endpoints and mode; report it — someone may be trying to downgrade terminals", false);

    public static final ErrorCode POLICY_STALE = new ErrorCode("MODE-401",
            "an access policy is expired, not yet valid, or older than one already accepted",
            "fetch the current policy from the firm; check this terminal's clock", false);

    private PolicyErrors() {
    }
}
