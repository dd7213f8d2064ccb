package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntSupplier;

import io.gmgate.session.BreakerSignal;

/**
 * A front pool seen as a circuit breaker for the degradation rule: "open" from the first time it is
 * sampled with no healthy member until one is healthy again. The pool's own probes decide health;
 * this only remembers since when none has been.
 */
final class PoolDownSignal implements BreakerSignal {

    private final String name;
    private final IntSupplier healthy;
    private final Clock clock;
    private Instant downSince;

    PoolDownSignal(String name, IntSupplier healthy, Clock clock) {
        this.name = name;
        this.healthy = healthy;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Optional<Instant> openSince() {
        if (healthy.getAsInt() > 0) {
            downSince = null;
        } else if (downSince == null) {
            downSince = clock.instant();
        }
        return Optional.ofNullable(downSince);
    }
}
