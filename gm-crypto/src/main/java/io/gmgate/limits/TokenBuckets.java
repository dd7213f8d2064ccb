package io.gmgate.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Token buckets by key (a source address, an account): each refills continuously at
 * {@code ratePerSecond} up to {@code burst}. The one implementation behind the gateway's admission
 * control and the cosign service's rate limits.
 *
 * <p>The table is a Caffeine cache, so every call costs O(1) however many keys there are, and memory
 * is bounded. A bucket left alone until it would be full again expires: it is then the same as a
 * new one, so expiry forgets nothing. Only beyond {@code maxKeys} live buckets does the cache drop
 * some, chosen by Caffeine's frequency-aware policy (W-TinyLFU), which keeps a key in constant use
 * over a flood of one-off keys; a dropped bucket starts full again. Size {@code maxKeys} above the
 * keys active within one refill time. Thread-safe: each bucket is updated inside the cache's
 * per-key compute.
 */
public final class TokenBuckets {

    private final String name;
    private final double ratePerSecond;
    private final double burst;
    private final long maxKeys;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public TokenBuckets(String name, double ratePerSecond, double burst, long maxKeys, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0) || !(burst >= 1) || maxKeys < 1) {
            throw new IllegalArgumentException(name + ": rate must be > 0, burst >= 1 and maxKeys >= 1, got "
                    + ratePerSecond + "/s, burst " + burst + ", maxKeys " + maxKeys);
        }
        this.name = name;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
        double refillNanos = Math.ceil(burst / ratePerSecond * 1e9);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(refillNanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) refillNanos))
                .ticker(nanoTime::getAsLong)
                .executor(Runnable::run) // upkeep on the calling thread, a bounded amount per call
                .build();
    }

    /** Takes {@code cost} tokens from the key's bucket: 0 when it had them, else the nanoseconds until it will. */
    public long tryTake(String key, double cost) {
        long now = nanoTime.getAsLong();
        long[] wait = {0};
        buckets.asMap().compute(key, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(burst, now) : b;
            if (now > bucket.updatedNanos) { // a clock that steps back neither drains nor refills
                bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * ratePerSecond);
                bucket.updatedNanos = now;
            }
            if (bucket.tokens >= cost) {
                bucket.tokens -= cost;
            } else {
                wait[0] = Math.max(1, (long) Math.ceil((cost - bucket.tokens) / ratePerSecond * 1e9));
            }
            return bucket;
        });
        return wait[0];
    }

    public boolean tryTake(String key) {
        return tryTake(key, 1) == 0;
    }

    /** Returns tokens to a bucket that still exists (a bucket that expired is full anyway). */
    public void refund(String key, double cost) {
        buckets.asMap().computeIfPresent(key, (k, b) -> {
            b.tokens = Math.min(burst, b.tokens + cost);
            return b;
        });
    }

    /** Buckets held now (after pending upkeep), at most {@code maxKeys}. */
    public long keys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public double burst() {
        return burst;
    }

    @Override
    public String toString() {
        return "TokenBuckets[" + name + " " + ratePerSecond + "/s burst " + burst + ", keys=" + buckets.estimatedSize()
                + " of at most " + maxKeys + "]";
    }
}
