package io.gmgate.cosign.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.gmgate.testkit.MutableClock;

class RateLimiterTest {

    private final MutableClock clock = MutableClock.frozenAt(Instant.parse("2026-12-07T00:00:00Z"));

    @Test
    void answersTheWholeSecondsToWaitAndRefunds() {
        RateLimiter failures = new RateLimiter("failed logins", clock, 0.25, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, failures.tryAcquire("alice"));
        }
        assertEquals(4, failures.tryAcquire("alice"), "one token back every 4 s");
        clock.advance(Duration.ofMillis(3_500));
        assertEquals(1, failures.tryAcquire("alice"), "half a second, rounded up to a whole one");
        failures.refund("alice", 1);
        assertEquals(0, failures.tryAcquire("alice"));
        assertEquals(0, failures.tryAcquire("bob"));
    }

    /**
     * The flood lever: with the old limiter a stream of invented account names kept every bucket (none
     * was full again) and, past 100k keys, scanned all of them on every call. Now the table is bounded
     * and each call touches one bucket; the account under attack keeps its empty bucket.
     */
    @Test
    void inventedKeysNeitherGrowTheTableNorFreeTheAccountUnderAttack() {
        int bound = 20_000;
        RateLimiter perAccount = new RateLimiter("failed logins per account", clock, 5.0 / 300, 5, bound);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, perAccount.tryAcquire("victim"));
        }
        for (int i = 0; i < 5 * bound; i++) {
            perAccount.tryAcquire("invented-" + i);
            if (i % 1_000 == 0) {
                assertTrue(perAccount.tryAcquire("victim") > 0, "after " + i + " invented keys");
            }
        }
        assertTrue(perAccount.keys() <= bound, perAccount.keys() + " keys");
    }
}
