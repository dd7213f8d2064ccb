package io.gmgate.ca;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How each CA behind {@link FailoverCertificateAuthority} is guarded (docs/drills.md C3): a time limit per
 * attempt, a few attempts with a pause, and a count-based circuit breaker that opens when
 * failureRatePercent of the last slidingWindow calls (at least minimumCalls) could not reach the CA,
 * and lets one trial call through after openWait. The clock drives the breaker's wait (tests move it).
 */
public record FailoverSettings(Duration timeout, int maxAttempts, Duration retryWait, int slidingWindow, int minimumCalls,
                               float failureRatePercent, Duration openWait, Clock clock) {

    public FailoverSettings {
        Objects.requireNonNull(clock, "clock");
        positive("timeout", timeout);
        positive("openWait", openWait);
        if (retryWait == null || retryWait.isNegative()) {
            throw new IllegalArgumentException("retryWait must not be negative: " + retryWait);
        }
        if (maxAttempts < 1 || maxAttempts > 5) {
            throw new IllegalArgumentException("maxAttempts must be 1..5, got " + maxAttempts);
        }
        if (slidingWindow < 1 || minimumCalls < 1 || minimumCalls > slidingWindow) {
            throw new IllegalArgumentException("need 1 ≤ minimumCalls (" + minimumCalls + ") ≤ slidingWindow (" + slidingWindow + ")");
        }
        if (failureRatePercent <= 0 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be in (0, 100], got " + failureRatePercent);
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** 10 s per attempt, 2 attempts 200 ms apart, open at 50 % of the last 10 calls (≥ 4), retry after 30 s. */
    public static FailoverSettings defaults() {
        return new FailoverSettings(Duration.ofSeconds(10), 2, Duration.ofMillis(200), 10, 4, 50f, Duration.ofSeconds(30),
                Clock.systemUTC());
    }

    public FailoverSettings withClock(Clock c) {
        return new FailoverSettings(timeout, maxAttempts, retryWait, slidingWindow, minimumCalls, failureRatePercent, openWait, c);
    }

    public FailoverSettings withTimeout(Duration t) {
        return new FailoverSettings(t, maxAttempts, retryWait, slidingWindow, minimumCalls, failureRatePercent, openWait, clock);
    }

    public FailoverSettings withBreaker(int window, int minimum, Duration wait) {
        return new FailoverSettings(timeout, maxAttempts, retryWait, window, minimum, failureRatePercent, wait, clock);
    }

    public FailoverSettings withRetry(int attempts, Duration wait) {
        return new FailoverSettings(timeout, attempts, wait, slidingWindow, minimumCalls, failureRatePercent, openWait, clock);
    }
}
