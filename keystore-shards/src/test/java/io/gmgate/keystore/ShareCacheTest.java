package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ShareCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ShareCache cache = new ShareCache(2, Duration.ofSeconds(10), nanos::get);

    private static byte[] fp(int i) {
        byte[] f = new byte[32];
        f[0] = (byte) i;
        return f;
    }

    private static byte[] secret(int i) {
        byte[] s = new byte[98];
        Arrays.fill(s, (byte) (0x40 + i));
        return s;
    }

    private static boolean zeroed(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aHitReturnsACopyForTheSameRowOnly() {
        byte[] s = secret(1);
        cache.put(1, fp(1), s);
        byte[] hit = cache.get(1, fp(1));
        assertArrayEquals(secret(1), hit);
        Arrays.fill(hit, (byte) 0);
        assertArrayEquals(secret(1), cache.get(1, fp(1)), "zeroing the caller's copy leaves the entry intact");
        assertNull(cache.get(1, fp(9)), "another row's fingerprint misses");
        assertTrue(zeroed(s), "and drops the entry, zeroed");
        assertEquals(0, cache.size());
    }

    @Test
    void theEldestEntryIsEvictedAndZeroedBeyondCapacity() {
        byte[] a = secret(1);
        byte[] b = secret(2);
        byte[] c = secret(3);
        cache.put(1, fp(1), a);
        cache.put(2, fp(2), b);
        cache.get(1, fp(1)); // 1 is now the most recently used
        cache.put(3, fp(3), c);
        assertEquals(2, cache.size());
        assertTrue(zeroed(b));
        assertFalse(zeroed(a));
        assertNull(cache.get(2, fp(2)));
    }

    @Test
    void entriesExpireAndAreZeroed() {
        byte[] a = secret(1);
        byte[] b = secret(2);
        cache.put(1, fp(1), a);
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertArrayEquals(secret(1), cache.get(1, fp(1)));
        cache.put(2, fp(2), b);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertNull(cache.get(1, fp(1)), "10 s after it was put");
        assertTrue(zeroed(a));
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        cache.put(3, fp(3), secret(3));
        assertTrue(zeroed(b), "expired entries are purged on put");
        assertEquals(1, cache.size());
    }

    @Test
    void invalidateAndClearZero() {
        byte[] a = secret(1);
        byte[] b = secret(2);
        cache.put(1, fp(1), a);
        cache.put(2, fp(2), b);
        cache.invalidate(1);
        assertTrue(zeroed(a));
        cache.clear();
        assertTrue(zeroed(b));
        assertEquals(0, cache.size());
        assertTrue(cache.toString().contains("redacted"));
    }

    @Test
    void settingsRefuseAnUnboundedOrTimelessCache() {
        ShardStoreSettings d = ShardStoreSettings.defaults();
        assertEquals(0, d.cacheEntries(), "off by default");
        assertEquals(6, d.pinLockThreshold());
        for (Runnable bad : new Runnable[] {
                () -> d.withCache(ShardStoreSettings.MAX_CACHE_ENTRIES + 1, Duration.ofSeconds(1)),
                () -> d.withCache(10, Duration.ZERO),
                () -> d.withCache(10, Duration.ofHours(2)),
                () -> d.withCache(-1, Duration.ofSeconds(1)),
                () -> d.withPinLockThreshold(0)}) {
            KeystoreException e = assertThrows(KeystoreException.class, bad::run);
            assertEquals(KeystoreErrors.INVALID_ARGUMENT, e.errorCode());
        }
    }
}
