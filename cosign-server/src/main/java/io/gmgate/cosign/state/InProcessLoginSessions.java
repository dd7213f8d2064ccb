package io.gmgate.cosign.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login sessions in this JVM's memory: a single node, or several Vert.x nodes in one JVM as in the
 * tests. Idle expiry slides on every use, up to a maximum life. Expired entries are swept when the
 * map grows, so memory stays bounded by the live sessions.
 */
public final class InProcessLoginSessions implements LoginSessions {

    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, Entry> byToken = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration maxLife;

    private record Entry(LoginSession session, Instant hardExpiry) {
    }

    public InProcessLoginSessions(Clock clock, Duration idle, Duration maxLife) {
        this.clock = clock;
        this.idle = idle;
        this.maxLife = maxLife;
    }

    @Override
    public LoginSession open(String account, String device, boolean restricted) {
        Instant now = clock.instant();
        LoginSession s = new LoginSession(Tokens.token(), Tokens.id(), account, device, restricted, now, now.plus(idle));
        if (byToken.size() % SWEEP_EVERY == SWEEP_EVERY - 1) {
            byToken.values().removeIf(e -> e.session().expiresAt().isBefore(now));
        }
        byToken.put(s.token(), new Entry(s, now.plus(maxLife)));
        return s;
    }

    @Override
    public Optional<LoginSession> touch(String token) {
        Instant now = clock.instant();
        Entry updated = byToken.computeIfPresent(token, (t, e) -> {
            if (!e.session().expiresAt().isAfter(now)) {
                return null;
            }
            Instant next = now.plus(idle);
            if (next.isAfter(e.hardExpiry())) {
                next = e.hardExpiry();
            }
            LoginSession s = e.session();
            return new Entry(new LoginSession(s.token(), s.id(), s.account(), s.device(), s.restricted(), s.createdAt(), next), e.hardExpiry());
        });
        return Optional.ofNullable(updated).map(Entry::session);
    }

    @Override
    public void close(String token) {
        byToken.remove(token);
    }

    @Override
    public void closeAll(String account) {
        byToken.values().removeIf(e -> e.session().account().equals(account));
    }
}
