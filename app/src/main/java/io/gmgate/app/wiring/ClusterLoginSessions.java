package io.gmgate.app.wiring;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;

import io.gmgate.cosign.state.LoginSession;
import io.gmgate.cosign.state.LoginSessions;
import io.gmgate.cosign.state.Tokens;
import io.gmgate.crypto.Sm3;
import io.gmgate.error.GmgateException;
import io.gmgate.session.ClusterSeal;
import io.gmgate.session.SessionErrors;
import io.vertx.core.json.JsonObject;

/**
 * Login sessions shared by every cosign node: a terminal logged in through one node is known to
 * all. The map is keyed by the SM3 of the bearer token, never the token itself, and each entry
 * lives for the idle time, renewed on use up to the hard limit. Each entry is sealed under the card
 * with its key as associated data ({@link ClusterSeal}): a member that gets into the cluster cannot
 * write a session for a token of its choosing, nor move one to another token. Only the account is
 * also kept in clear, so that logging an account out everywhere runs where the entries live.
 */
public final class ClusterLoginSessions implements LoginSessions {

    public static final String MAP = "gmgate.cosign.sessions";
    private static final String PURPOSE = "login-session";
    private static final System.Logger LOG = System.getLogger(ClusterLoginSessions.class.getName());

    private final IMap<String, String> map;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxLife;
    private final ClusterSeal seal;

    public ClusterLoginSessions(com.hazelcast.core.HazelcastInstance hz, Clock clock, Duration idle, Duration maxLife,
                                ClusterSeal seal) {
        this.map = hz.getMap(MAP);
        this.clock = clock;
        this.idle = idle;
        this.maxLife = maxLife;
        this.seal = seal;
    }

    private static String key(String token) {
        return HexFormat.of().formatHex(Sm3.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public LoginSession open(String account, String device, boolean restricted) {
        Instant now = clock.instant();
        LoginSession s = new LoginSession(Tokens.token(), Tokens.id(), account, device, restricted, now, now.plus(idle));
        String k = key(s.token());
        map.set(k, encode(k, s, now.plus(maxLife)), idle.toMillis(), TimeUnit.MILLISECONDS);
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
            Optional<JsonObject> opened = open(k, stored);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            JsonObject j = opened.get();
            Instant now = clock.instant();
            Instant hard = Instant.parse(j.getString("hard"));
            if (!Instant.parse(j.getString("expiresAt")).isAfter(now) || !hard.isAfter(now)) {
                map.remove(k, stored);
                return Optional.empty();
            }
            Instant next = now.plus(idle).isAfter(hard) ? hard : now.plus(idle);
            LoginSession s = new LoginSession(token, j.getString("id"), j.getString("account"), j.getString("device"),
                    j.getBoolean("restricted"), Instant.parse(j.getString("createdAt")), next);
            if (map.replace(k, stored, encode(k, s, hard))) {
                map.setTtl(k, Duration.between(now, next).toMillis() + 1, TimeUnit.MILLISECONDS);
                return Optional.of(s);
            }
        }
        // still valid, only contended: answer from the last read rather than fail the request
        return Optional.ofNullable(map.get(k)).flatMap(v -> open(k, v)).map(j -> decode(token, j));
    }

    @Override
    public void close(String token) {
        map.delete(key(token));
    }

    @Override
    public void closeAll(String account) {
        map.removeAll(e -> account.equals(new JsonObject(e.getValue()).getString("account")));
    }

    /** The sealed fields, or empty (and the entry dropped, MODE-330 logged) when they do not open under this key. */
    private Optional<JsonObject> open(String key, String stored) {
        try {
            byte[] plain = seal.open(PURPOSE, key.getBytes(StandardCharsets.US_ASCII),
                    Base64.getDecoder().decode(new JsonObject(stored).getString("sealed", "")));
            return Optional.of(new JsonObject(new String(plain, StandardCharsets.UTF_8)));
        } catch (GmgateException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (login session " + key.substring(0, 12) + "…): refused");
            map.remove(key, stored);
            return Optional.empty();
        } catch (RuntimeException e) { // not JSON, not base64: not ours either
            LOG.log(System.Logger.Level.WARNING, SessionErrors.SEAL_BROKEN.code() + " a login session entry is not in the "
                    + "sealed form (" + e.getClass().getSimpleName() + "): refused");
            map.remove(key, stored);
            return Optional.empty();
        }
    }

    private static LoginSession decode(String token, JsonObject j) {
        return new LoginSession(token, j.getString("id"), j.getString("account"), j.getString("device"),
                j.getBoolean("restricted"), Instant.parse(j.getString("createdAt")), Instant.parse(j.getString("expiresAt")));
    }

    private String encode(String key, LoginSession s, Instant hard) {
        // the token itself is not stored: the key is its hash
        String fields = new JsonObject().put("id", s.id()).put("account", s.account()).put("device", s.device())
                .put("restricted", s.restricted()).put("createdAt", s.createdAt().toString())
                .put("expiresAt", s.expiresAt().toString()).put("hard", hard.toString()).encode();
        byte[] sealed = seal.seal(PURPOSE, key.getBytes(StandardCharsets.US_ASCII), fields.getBytes(StandardCharsets.UTF_8));
        return new JsonObject().put("account", s.account()).put("sealed", Base64.getEncoder().encodeToString(sealed)).encode();
    }
}
