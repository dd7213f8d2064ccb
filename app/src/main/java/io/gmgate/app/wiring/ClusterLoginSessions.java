package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;

import io.gmgate.cosign.state.LoginSession;
import io.gmgate.cosign.state.LoginSessions;
import io.gmgate.cosign.state.Tokens;
import io.gmgate.crypto.Sm3;
import io.vertx.core.json.JsonObject;

/**
 * Login sessions shared by every cosign node: a terminal logged in through one node is known to
 * all. The map is keyed by the SM3 of the bearer token, never the token itself, and each entry
 * lives for the idle time, renewed on use up to the hard limit.
 */
public final class ClusterLoginSessions implements LoginSessions {

    private final IMap<String, String> map;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxLife;

    public ClusterLoginSessions(com.hazelcast.core.HazelcastInstance hz, Clock clock, Duration idle, Duration maxLife) {
        this.map = hz.getMap("gmgate.cosign.sessions");
        this.clock = clock;
        this.idle = idle;
        this.maxLife = maxLife;
    }

    private static String key(String token) {
        return HexFormat.of().formatHex(Sm3.digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Override
    public LoginSession open(String account, String device, boolean restricted) {
        Instant now = clock.instant();
        LoginSession s = new LoginSession(Tokens.token(), Tokens.id(), account, device, restricted, now, now.plus(idle));
        map.set(key(s.token()), encode(s, now.plus(maxLife)), idle.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Extends the idle deadline with a compare-and-set, so a logout (or closeAll) racing with a
     * request on another node is never undone by this write. Bounded: a session touched by many
     * nodes at once is re-read a few times, never looped on.
     */
    @Override
    public Optional<LoginSession> touch(String token) {
        String k = key(token);
        for (int attempt = 0; attempt < 8; attempt++) {
            String stored = map.get(k);
            if (stored == null) {
                return Optional.empty();
            }
            JsonObject j = new JsonObject(stored);
            Instant now = clock.instant();
            Instant hard = Instant.parse(j.getString("hard"));
            if (!Instant.parse(j.getString("expiresAt")).isAfter(now) || !hard.isAfter(now)) {
                map.remove(k, stored);
                return Optional.empty();
            }
            Instant next = now.plus(idle).isAfter(hard) ? hard : now.plus(idle);
            LoginSession s = new LoginSession(token, j.getString("id"), j.getString("account"), j.getString("device"),
                    j.getBoolean("restricted"), Instant.parse(j.getString("createdAt")), next);
            if (map.replace(k, stored, encode(s, hard))) {
                map.setTtl(k, Duration.between(now, next).toMillis() + 1, TimeUnit.MILLISECONDS);
                return Optional.of(s);
            }
        }
        // still valid, only contended: answer from the last read rather than fail the request
        return Optional.ofNullable(map.get(k)).map(v -> decode(token, v));
    }

    @Override
    public void close(String token) {
        map.delete(key(token));
    }

    @Override
    public void closeAll(String account) {
        map.removeAll(e -> account.equals(new JsonObject(e.getValue()).getString("account")));
    }

    private static LoginSession decode(String token, String stored) {
        JsonObject j = new JsonObject(stored);
        return new LoginSession(token, j.getString("id"), j.getString("account"), j.getString("device"),
                j.getBoolean("restricted"), Instant.parse(j.getString("createdAt")), Instant.parse(j.getString("expiresAt")));
    }

    private static String encode(LoginSession s, Instant hard) {
        // the token itself is not stored: the key is its hash
        return new JsonObject().put("id", s.id()).put("account", s.account()).put("device", s.device())
                .put("restricted", s.restricted()).put("createdAt", s.createdAt().toString())
                .put("expiresAt", s.expiresAt().toString()).put("hard", hard.toString()).encode();
    }
}
