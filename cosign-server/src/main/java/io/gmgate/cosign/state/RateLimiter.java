package io.gmgate.cosign.state;

import java.time.Clock;

import io.gmgate.limits.TokenBuckets;

/**
 * Token buckets by key (an account, an address), on this node: {@code ratePerSecond} refill up to
 * {@code burst}. Each node limits on its own, so a cluster of N nodes admits up to N times the rate;
 * the limits are sized per node (docs/cosign-api.md §3). The buckets are {@link TokenBuckets}, the
 * gateway's too: O(1) per call and at most {@link #MAX_KEYS} keys, however many keys a flood invents.
 */
public final class RateLimiter {

    /** Buckets kept per limiter; beyond it the least used are dropped (docs/security.md). */
    public static final int MAX_KEYS = 100_000;

    private final TokenBuckets buckets;

    public RateLimiter(String name, Clock clock, double ratePerSecond, double burst) {
        this(name, clock, ratePerSecond, burst, MAX_KEYS);
    }

    RateLimiter(String name, Clock clock, double ratePerSecond, double burst, int maxKeys) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException(name + ": rate must be > 0 and burst >= 1");
        }
        // Clock gives millisecond instants; enough for buckets measured in seconds.
        this.buckets = new TokenBuckets(name, ratePerSecond, burst, maxKeys, () -> clock.millis() * 1_000_000L);
    }

    /** Takes {@code cost} tokens; returns 0 when admitted, else the whole seconds to wait (>= 1). */
    public int tryAcquire(String key, double cost) {
        long waitNanos = buckets.tryTake(key, cost);
        return waitNanos == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }

    public int tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /** Returns tokens to a bucket (e.g. a successful login does not count against the failure budget). */
    public void refund(String key, double cost) {
        buckets.refund(key, cost);
    }

    long keys() {
        return buckets.keys();
    }

    @Override
    public String toString() {
        return "RateLimiter[" + buckets + "]";
    }
}
