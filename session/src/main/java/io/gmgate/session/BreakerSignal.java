package io.gmgate.session;

import java.time.Instant;
import java.util.Optional;

/**
 * What a degradation rule needs from a circuit breaker (cosign service, CA, cipher card, database):
 * its name and, while it is open, since when. A plain interface so this module does not depend on
 * Resilience4j; the app adapts its breakers (one small class listening to state transitions).
 */
public interface BreakerSignal {

    /** The breaker's instance name, as in its own messages ("CircuitBreaker 'ca-primary' is OPEN"). */
    String name();

    /**
     * When the breaker opened, if it is not closed now. A half-open breaker still counts as open from
     * its first opening: it has not yet shown the dependency is back.
     */
    Optional<Instant> openSince();
}
