package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class InMemorySessionCacheTest {

    /** A clock the test moves. */
    private static final class Hand extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final Hand clock = new Hand();

    private SessionState session(int n) {
        return new SessionState(new byte[] {(byte) (n >> 8), (byte) n, 1}, CipherSuite.values()[0], new byte[48], List.of(),
                clock.instant());
    }

    @Test
    void aSessionIsGoodForItsLifetimeFromCreation() {
        InMemorySessionCache cache = new InMemorySessionCache(10, Duration.ofMinutes(5), clock);
        SessionState s = session(1);
        cache.put(s);
        assertEquals(s.idHex(), cache.get(s.id()).orElseThrow().idHex());
        clock.advance(Duration.ofMinutes(5));
        assertTrue(cache.get(s.id()).isPresent(), "at exactly its lifetime");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(cache.get(s.id()).isEmpty());
        cache.put(s);
        assertTrue(cache.get(s.id()).isEmpty(), "stored late, still dead from its creation");
    }

    @Test
    void removeForgetsAndTheCacheStaysWithinItsCapacity() {
        InMemorySessionCache cache = new InMemorySessionCache(50, Duration.ofHours(1), clock);
        SessionState first = session(0);
        cache.put(first);
        cache.remove(first.id());
        assertTrue(cache.get(first.id()).isEmpty());
        int present = 0;
        for (int i = 0; i < 5_000; i++) {
            cache.put(session(i));
        }
        for (int i = 0; i < 5_000; i++) {
            present += cache.get(session(i).id()).isPresent() ? 1 : 0;
        }
        assertTrue(present <= 50, present + " sessions kept");
    }
}
