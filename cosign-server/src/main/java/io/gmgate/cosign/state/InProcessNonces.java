package io.gmgate.cosign.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nonces and single-use markers in this JVM's memory. Each session keeps at most
 * {@code maxPerSession} unused nonces (the oldest is dropped), each living {@code life}.
 */
public final class InProcessNonces implements Nonces {

    private static final int SWEEP_EVERY = 4096;

    private final Clock clock;
    private final Duration life;
    private final int maxPerSession;
    private final Map<String, Deque<Issued>> bySession = new ConcurrentHashMap<>();
    private final Map<String, Instant> markers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong issued = new java.util.concurrent.atomic.AtomicLong();

    private record Issued(String nonce, Instant expiresAt) {
    }

    public InProcessNonces(Clock clock, Duration life, int maxPerSession) {
        this.clock = clock;
        this.life = life;
        this.maxPerSession = maxPerSession;
    }

    @Override
    public String issue(String sessionId) {
        String nonce = Tokens.id();
        Instant now = clock.instant();
        Instant expiry = now.plus(life);
        if (issued.incrementAndGet() % SWEEP_EVERY == 0) {
            // sessions that ended without logout: drop queues whose newest nonce has expired
            bySession.values().removeIf(q -> q.isEmpty() || !q.peekLast().expiresAt().isAfter(now));
        }
        bySession.compute(sessionId, (id, q) -> {
            Deque<Issued> queue = q == null ? new ArrayDeque<>() : q;
            queue.addLast(new Issued(nonce, expiry));
            while (queue.size() > maxPerSession) {
                queue.removeFirst();
            }
            return queue;
        });
        return nonce;
    }

    @Override
    public boolean consume(String sessionId, String nonce) {
        Instant now = clock.instant();
        boolean[] found = {false};
        bySession.computeIfPresent(sessionId, (id, queue) -> {
            queue.removeIf(i -> !i.expiresAt().isAfter(now));
            found[0] = queue.removeIf(i -> i.nonce().equals(nonce));
            return queue.isEmpty() ? null : queue;
        });
        return found[0];
    }

    @Override
    public boolean firstUse(String key, Duration ttl) {
        Instant now = clock.instant();
        if (markers.size() % SWEEP_EVERY == SWEEP_EVERY - 1) {
            markers.values().removeIf(expiry -> expiry.isBefore(now));
        }
        boolean[] first = {false};
        markers.compute(key, (k, expiry) -> {
            if (expiry == null || expiry.isBefore(now)) {
                first[0] = true;
                return now.plus(ttl);
            }
            return expiry;
        });
        return first[0];
    }

    @Override
    public void forget(String sessionId) {
        bySession.remove(sessionId);
    }
}
