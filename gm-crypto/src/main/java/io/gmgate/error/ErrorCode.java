package io.gmgate.error;

import java.util.Objects;

/**
 * A failure a trader, SDK caller or SRE can act on (design §8): a stable code whose prefix names
 * the subsystem, one line of cause, one line of what to do, and whether retrying may help.
 */
public record ErrorCode(String code, String cause, String action, boolean retryable) {

    public ErrorCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(action, "action");
        if (!code.matches("(NET|TLS|CERT|COSIGN|CA|KEY|FRONT|MODE|ADMIN)-[0-9]{3}")) {
            throw new IllegalArgumentException("error code must be PREFIX-NNN with a design §8 prefix: " + code);
        }
    }

    public String subsystem() {
        return code.substring(0, code.indexOf('-'));
    }

    @Override
    public String toString() {
        return code;
    }
}
