package io.gmgate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TokenBucketsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    @Test
    void aBucketGivesItsBurstThenRefillsAtTheRate() {
        TokenBuckets b = new TokenBuckets("t", 2, 3, 100, now::get);
        assertTrue(b.tryTake("a"));
        assertTrue(b.tryTake("a"));
        assertTrue(b.tryTake("a"));
        assertEquals(SECOND / 2, b.tryTake("a", 1), "one token at 2/s is half a second away");
        assertTrue(b.tryTake("b"), "another key has its own bucket");
        now.addAndGet(SECOND / 2);
        assertTrue(b.tryTake("a"));
        assertFalse(b.tryTake("a"));
        now.addAndGet(100 * SECOND);
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryTake("a"));
        }
        assertFalse(b.tryTake("a"), "refill stops at the burst");
    }

    @Test
    void aClockSteppingBackNeitherDrainsNorRefills() {
        TokenBuckets b = new TokenBuckets("t", 1, 2, 100, now::get);
        assertTrue(b.tryTake("a"));
        assertTrue(b.tryTake("a"));
        now.addAndGet(-50 * SECOND);
        assertFalse(b.tryTake("a"));
        now.addAndGet(50 * SECOND + SECOND);
        assertTrue(b.tryTake("a"));
    }

    @Test
    void aRefundReturnsTokensUpToTheBurst() {
        TokenBuckets b = new TokenBuckets("t", 0.001, 2, 100, now::get);
        assertTrue(b.tryTake("a"));
        assertTrue(b.tryTake("a"));
        b.refund("a", 5);
        assertTrue(b.tryTake("a"));
        assertTrue(b.tryTake("a"));
        assertFalse(b.tryTake("a"));
    }

    @Test
    void aBucketLeftAloneUntilFullIsForgottenAndStartsFullAgain() {
        TokenBuckets b = new TokenBuckets("t", 1, 5, 100, now::get);
        assertTrue(b.tryTake("a", 5) == 0);
        assertEquals(1, b.keys());
        now.addAndGet(6 * SECOND);
        assertEquals(0, b.keys(), "full again after 5 s: nothing to remember");
        assertEquals(0, b.tryTake("a", 5));
    }

    /**
     * A flood of distinct keys (spoofed addresses, invented account names): before, the cosign
     * RateLimiter kept every bucket that was not yet full and, past 100k keys, scanned them all on every
     * call. Here the table never holds more than maxKeys, and the keys in steady use keep their limits.
     */
    @Test
    void aFloodOfDistinctKeysStaysBoundedAndDoesNotFreeAKeyInUse() {
        int maxKeys = 10_000;
        TokenBuckets b = new TokenBuckets("t", 1.0 / 3600, 10, maxKeys, now::get); // the clock stands still
        for (int i = 0; i < 10; i++) {
            assertTrue(b.tryTake("victim"));
        }
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1_000; i++) {
                b.tryTake("flood-" + round + "-" + i);
            }
            assertFalse(b.tryTake("victim"), "round " + round + ": the victim's empty bucket is kept");
            assertTrue(b.keys() <= maxKeys, "round " + round + ": " + b.keys() + " keys");
        }
        assertTrue(b.keys() <= maxKeys);
    }

    @Test
    void refusesLimitsThatMeanNothing() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets("t", 0, 1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets("t", 1, 0.5, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets("t", 1, 1, 0, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets("t", Double.NaN, 1, 1, now::get));
    }
}
