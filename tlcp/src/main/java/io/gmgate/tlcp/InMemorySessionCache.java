package io.gmgate.tlcp;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A bounded, time-limited session cache for one process (the SDK, tests, a single gateway node): a
 * Caffeine cache of at most {@code capacity} sessions. A session is good for {@code lifetime} from
 * its creation by {@code clock}; Caffeine also drops it that long after it was stored, so expired
 * sessions do not hold memory until they are asked for.
 */
public final class InMemorySessionCache implements SessionCache {

    private final Duration lifetime;
    private final Clock clock;
    private final Cache<String, SessionState> sessions;

    public InMemorySessionCache(int capacity, Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
        // Caffeine's expiry a tick later than the lifetime, so that get()'s check decides the boundary.
        this.sessions = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(lifetime.plusMillis(1))
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run).build(); // upkeep on the caller: no wake-up of the common pool per entry
    }

    @Override
    public Optional<SessionState> get(byte[] id) {
        String key = HexFormat.of().formatHex(id);
        SessionState s = sessions.getIfPresent(key);
        if (s != null && s.created().plus(lifetime).isBefore(clock.instant())) {
            sessions.asMap().remove(key, s);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    @Override
    public void put(SessionState session) {
        sessions.put(session.idHex(), session);
    }

    @Override
    public void remove(byte[] id) {
        sessions.invalidate(HexFormat.of().formatHex(id));
    }
}
