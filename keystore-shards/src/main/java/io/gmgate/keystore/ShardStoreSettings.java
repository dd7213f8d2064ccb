package io.gmgate.keystore;

import java.time.Duration;
import java.util.Objects;

/**
 * How a shard store runs, checked once when built (house style: settings are records).
 *
 * @param name              instance name for log lines and error messages
 * @param kekIndex          the card KEK index that wraps data keys and keys the audit MACs
 * @param pinLockThreshold  failed signing attempts that lock a device's keys (design §11: 6)
 * @param cacheEntries      decrypted shares kept in memory; 0 (the default) turns the cache off
 * @param cacheTtl          how long a cached share may be reused
 */
public record ShardStoreSettings(String name, int kekIndex, int pinLockThreshold, int cacheEntries, Duration cacheTtl) {

    public static final int DEFAULT_PIN_LOCK_THRESHOLD = 6;
    public static final int MAX_CACHE_ENTRIES = 100_000;

    public ShardStoreSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (kekIndex < 1) {
            throw invalid("kekIndex must be >= 1, was " + kekIndex);
        }
        if (pinLockThreshold < 1 || pinLockThreshold > 100) {
            throw invalid("pinLockThreshold must be 1..100, was " + pinLockThreshold);
        }
        if (cacheEntries < 0 || cacheEntries > MAX_CACHE_ENTRIES) {
            throw invalid("cacheEntries must be 0.." + MAX_CACHE_ENTRIES + ", was " + cacheEntries);
        }
        if (cacheEntries > 0 && (cacheTtl.isNegative() || cacheTtl.isZero() || cacheTtl.compareTo(Duration.ofHours(1)) > 0)) {
            throw invalid("cacheTtl must be in (0, 1h] when the cache is on, was " + cacheTtl);
        }
    }

    /** KEK index 1, lock after 6 failures, no cache. */
    public static ShardStoreSettings defaults() {
        return new ShardStoreSettings("keystore", 1, DEFAULT_PIN_LOCK_THRESHOLD, 0, Duration.ofSeconds(30));
    }

    public ShardStoreSettings withCache(int entries, Duration ttl) {
        return new ShardStoreSettings(name, kekIndex, pinLockThreshold, entries, ttl);
    }

    public ShardStoreSettings withPinLockThreshold(int threshold) {
        return new ShardStoreSettings(name, kekIndex, threshold, cacheEntries, cacheTtl);
    }

    private static KeystoreException invalid(String what) {
        return new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY shard-store] " + what);
    }
}
