package io.gmgate.tlcp;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A bounded, time-limited session cache for one process (the SDK, tests, a single gateway node). */
public final class InMemorySessionCache implements SessionCache {

    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, SessionState> sessions;

    public InMemorySessionCache(int capacity, Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
        this.sessions = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionState> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Optional<SessionState> get(byte[] id) {
        String key = HexFormat.of().formatHex(id);
        SessionState s = sessions.get(key);
        if (s != null && s.created().plus(lifetime).isBefore(clock.instant())) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    @Override
    public synchronized void put(SessionState session) {
        sessions.put(session.idHex(), session);
    }

    @Override
    public synchronized void remove(byte[] id) {
        sessions.remove(HexFormat.of().formatHex(id));
    }
}
