package io.gmgate.keystore;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An optional in-memory cache of opened server shares (docs/keystore.md: bounded, time-limited, off by
 * default). It saves the card unwrap and the SM4-GCM open, never the database read: the key's state
 * is read on every use, so a lock or revocation on another node takes effect at once. An entry is
 * used only while the stored row is byte-for-byte what it was opened from (its fingerprint covers
 * binding, wrapped key, nonce and ciphertext), so an altered row is opened — and refused — afresh.
 * Plaintext is zeroed when an entry expires, is evicted, replaced or invalidated.
 */
final class ShareCache {

    private record Entry(byte[] fingerprint, byte[] plaintext, long expiresAtNanos) {
    }

    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<Long, Entry> entries;

    ShareCache(int capacity, Duration ttl, LongSupplier nanoClock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry");
        }
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A copy of the cached plaintext for this exact row, or null. The caller zeroes the copy. */
    synchronized byte[] get(long keyId, byte[] fingerprint) {
        Entry e = entries.get(keyId);
        if (e == null) {
            return null;
        }
        if (expired(e) || !MessageDigest.isEqual(e.fingerprint, fingerprint)) {
            zero(entries.remove(keyId));
            return null;
        }
        return e.plaintext.clone();
    }

    /** Takes ownership of {@code plaintext}: the cache zeroes that very array when the entry goes. */
    synchronized void put(long keyId, byte[] fingerprint, byte[] plaintext) {
        purgeExpired();
        zero(entries.put(keyId, new Entry(fingerprint.clone(), plaintext, nanoClock.getAsLong() + ttlNanos)));
        while (entries.size() > capacity) {
            Iterator<Map.Entry<Long, Entry>> eldest = entries.entrySet().iterator();
            zero(eldest.next().getValue());
            eldest.remove();
        }
    }

    synchronized void invalidate(long keyId) {
        zero(entries.remove(keyId));
    }

    synchronized void clear() {
        entries.values().forEach(ShareCache::zero);
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }

    private void purgeExpired() {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (expired(e)) {
                zero(e);
                it.remove();
            }
        }
    }

    private boolean expired(Entry e) {
        return nanoClock.getAsLong() - e.expiresAtNanos >= 0;
    }

    private static void zero(Entry e) {
        if (e != null) {
            Arrays.fill(e.plaintext, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ShareCache[" + size() + "/" + capacity + ", contents redacted]";
    }
}
