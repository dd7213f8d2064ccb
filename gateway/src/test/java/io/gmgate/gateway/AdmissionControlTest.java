package io.gmgate.gateway;

import static io.gmgate.gateway.AdmissionControl.Verdict.ADMITTED;
import static io.gmgate.gateway.AdmissionControl.Verdict.AT_CAPACITY;
import static io.gmgate.gateway.AdmissionControl.Verdict.RATE_LIMITED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class AdmissionControlTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private AdmissionControl control(int cap, double rate, int burst) {
        return new AdmissionControl(new AdmissionPolicy(cap, rate, burst, rate, burst, 3, Duration.ZERO), now::get);
    }

    @Test
    void oneAddressIsHeldToItsBurstThenItsRate() {
        AdmissionControl c = control(1000, 10, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(ADMITTED, c.admitHandshake("10.0.0.1"));
        }
        assertEquals(RATE_LIMITED, c.admitHandshake("10.0.0.1"));
        assertEquals(ADMITTED, c.admitHandshake("10.0.0.2"), "another address is not punished");
        now.addAndGet(100_000_000L); // 0.1 s at 10/s refills one token
        assertEquals(ADMITTED, c.admitHandshake("10.0.0.1"));
        assertEquals(RATE_LIMITED, c.admitHandshake("10.0.0.1"));
    }

    @Test
    void theCapCountsOpenConnectionsAndReleaseFreesASlot() {
        AdmissionControl c = control(2, 1000, 1000);
        assertEquals(ADMITTED, c.admitConnection("a"));
        assertEquals(ADMITTED, c.admitConnection("b"));
        assertEquals(AT_CAPACITY, c.admitConnection("c"));
        assertEquals(2, c.openConnections());
        c.release();
        assertEquals(ADMITTED, c.admitConnection("c"));
    }

    /**
     * Changed with the move to TokenBuckets (Caffeine): the table is still bounded, but it no longer
     * forgets the least recently seen source first; a flood of one-off (spoofed) sources, twenty times
     * the table, does not push out a source that keeps knocking, so flooding does not buy it a fresh
     * bucket (frequency-aware eviction: a heuristic, not a guarantee for a source seen only once).
     */
    @Test
    void theSourceTableIsBoundedAndAFloodOfOneOffSourcesDoesNotResetAHeldSource() {
        AdmissionControl c = new AdmissionControl(new AdmissionPolicy(1_000_000, 0.001, 1, 0.001, 1, 100, Duration.ZERO), now::get);
        assertEquals(ADMITTED, c.admitConnection("a"));
        c.release();
        for (int i = 0; i < 2_000; i++) {
            if (i % 10 == 0) {
                assertEquals(RATE_LIMITED, c.admitConnection("a"), "after " + i + " spoofed sources");
            }
            if (c.admitConnection("spoofed-" + i) == ADMITTED) {
                c.release();
            }
        }
        assertEquals(RATE_LIMITED, c.admitConnection("a"));
        assertTrue(c.trackedSources() <= 100, c.trackedSources() + " sources tracked");
    }
}
