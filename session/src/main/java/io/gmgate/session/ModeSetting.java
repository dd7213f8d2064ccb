package io.gmgate.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The mode in force for one scope: who set it, why, when, until when, and the change counter. */
public record ModeSetting(Scope scope, AccessMode mode, String reason, String operator, Instant setAt,
                          Optional<Instant> expiresAt, long epoch) {

    public ModeSetting {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(setAt, "setAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expiredAt(Instant now) {
        return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
    }
}
