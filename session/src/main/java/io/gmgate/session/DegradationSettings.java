package io.gmgate.session;

import java.time.Duration;
import java.util.Objects;

/**
 * One automatic degradation rule (design §5, docs/drills.md C3/C4): when {@code breaker} has been open
 * for {@code openFor}, move {@code scope} from NORMAL to ONE_WAY for {@code ttl} — if
 * {@code allowed}; otherwise only alert. The time-to-live is mandatory: an automatic change must end
 * by itself unless an SRE confirms it by setting the mode.
 */
public record DegradationSettings(String breaker, Scope scope, Duration openFor, Duration ttl, boolean allowed) {

    public DegradationSettings {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(scope, "scope");
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("degradation rule for '" + breaker + "': openFor " + openFor + " must be positive");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("degradation rule for '" + breaker + "': ttl " + ttl + " must be positive");
        }
    }
}
