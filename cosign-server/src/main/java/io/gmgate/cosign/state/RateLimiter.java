package io.gmgate.cosign.state;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (an account, an address), on this node: {@code ratePerSecond} refill up to
 * {@code burst}. Each node limits on its own, so a cluster of N nodes admits up to N times the rate;
 * the limits are sized per node (docs/cosign-api.md §3). Idle buckets are swept as the map grows.
 */
public final class RateLimiter {

    private static final int SWEEP_AT = 100_000;

    private final String name;
    private final Clock clock;
    private final double ratePerSecond;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public RateLimiter(String name, Clock clock, double ratePerSecond, double burst) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException(name + ": rate must be > 0 and burst >= 1");
        }
        this.name = name;
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Takes {@code cost} tokens; returns 0 when admitted, else the whole seconds to wait (>= 1). */
    public int tryAcquire(String key, double cost) {
        long now = nanos();
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(b -> b.tokens + (now - b.updatedNanos) / 1e9 * ratePerSecond >= burst);
        }
        int[] wait = {0};
        buckets.compute(key, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(burst, now) : b;
            // max(0, …): a clock stepped backwards (NTP) must not drain the bucket
            bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.updatedNanos) / 1e9 * ratePerSecond);
            bucket.updatedNanos = now;
            if (bucket.tokens >= cost) {
                bucket.tokens -= cost;
            } else {
                wait[0] = (int) Math.max(1, Math.ceil((cost - bucket.tokens) / ratePerSecond));
            }
            return bucket;
        });
        return wait[0];
    }

    public int tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /** Returns tokens to a bucket (e.g. a successful login does not count against the failure budget). */
    public void refund(String key, double cost) {
        buckets.computeIfPresent(key, (k, b) -> {
            b.tokens = Math.min(burst, b.tokens + cost);
            return b;
        });
    }

    private long nanos() {
        // Clock gives millisecond instants; enough for buckets measured in seconds.
        return clock.millis() * 1_000_000L;
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + " " + ratePerSecond + "/s burst " + burst + ", keys=" + buckets.size() + "]";
    }
}
