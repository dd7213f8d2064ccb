package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.gmgate.session.BreakerSignal;

/**
 * A dependency seen as a circuit breaker for a degradation rule: "open" from the first time it is
 * sampled down until it is sampled up again. The dependency's own probes or breakers decide what
 * down means (no healthy cosign node; every CA's breaker open); this only remembers since when.
 */
public final class DownSignal implements BreakerSignal {

    private final String name;
    private final BooleanSupplier down;
    private final Clock clock;
    private Instant downSince;

    public DownSignal(String name, BooleanSupplier down, Clock clock) {
        this.name = name;
        this.down = down;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Optional<Instant> openSince() {
        if (!down.getAsBoolean()) {
            downSince = null;
        } else if (downSince == null) {
            downSince = clock.instant();
        }
        return Optional.ofNullable(downSince);
    }
}
