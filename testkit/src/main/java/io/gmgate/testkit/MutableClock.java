package io.gmgate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A clock the test moves. Either real time plus an offset, so timeouts still pass while certificates
 * age, or {@link #frozenAt frozen}, so a rule that waits for a duration sees exactly the time the test
 * gives it however slow the machine is.
 */
public final class MutableClock extends Clock {

    private final Supplier<Instant> base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Real time plus whatever the test adds. */
    public MutableClock() {
        this(Instant::now);
    }

    private MutableClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** Stands still at {@code start} until the test advances it. */
    public static MutableClock frozenAt(Instant start) {
        return new MutableClock(() -> start);
    }

    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.get().plus(offset.get());
    }
}
