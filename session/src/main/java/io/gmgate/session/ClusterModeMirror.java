package io.gmgate.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.gmgate.error.GmgateException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * A copy of the newest mode snapshot in a cluster map entry, labelled with its epoch (design §14:
 * AsyncMap has no listeners, so the entry carries an epoch and changes are announced on the event
 * bus). PostgreSQL stays the truth; the copy is what a node starting while PostgreSQL is down
 * reads, so it does not come up NORMAL in the middle of a bypass incident. Writers keep the entry
 * at the highest epoch with compare-and-set, so a slow node cannot put an older state back.
 *
 * <p>With a {@link ClusterSeal} the snapshot is sealed under the card (the epoch stays in clear for
 * the compare-and-set): a member that gets into the cluster cannot plant a weaker mode for a node to
 * adopt while PostgreSQL is down. A copy that does not open is no copy (MODE-330, logged), and the
 * next offer overwrites it.
 */
final class ClusterModeMirror {

    static final String MAP = "gmgate.modes";
    static final String KEY = "snapshot";
    private static final int CAS_ATTEMPTS = 4;

    private static final String PURPOSE = "mode-snapshot";
    private static final System.Logger LOG = System.getLogger(ClusterModeMirror.class.getName());

    private final Vertx vertx;
    private final Optional<ClusterSeal> seal;

    ClusterModeMirror(Vertx vertx, Optional<ClusterSeal> seal) {
        this.vertx = vertx;
        this.seal = seal;
    }

    Future<Optional<PgModeStore.Snapshot>> read() {
        return map().compose(m -> m.get(KEY)).map(v -> Optional.ofNullable(v).flatMap(this::open));
    }

    /** Stores the snapshot unless the entry already holds this epoch or a newer one. */
    Future<Void> offer(PgModeStore.Snapshot s) {
        return map().compose(m -> offer(m, s, seal(s), CAS_ATTEMPTS));
    }

    private String seal(PgModeStore.Snapshot s) {
        if (seal.isEmpty()) {
            return encode(s);
        }
        byte[] sealed = seal.get().seal(PURPOSE, KEY.getBytes(StandardCharsets.US_ASCII), encode(s).getBytes(StandardCharsets.UTF_8));
        return new JsonObject().put("epoch", s.epoch()).put("sealed", Base64.getEncoder().encodeToString(sealed)).encode();
    }

    private Optional<PgModeStore.Snapshot> open(String stored) {
        try {
            if (seal.isEmpty()) {
                return Optional.of(decode(stored));
            }
            JsonObject outer = new JsonObject(stored);
            byte[] plain = seal.get().open(PURPOSE, KEY.getBytes(StandardCharsets.US_ASCII),
                    Base64.getDecoder().decode(outer.getString("sealed", "")));
            PgModeStore.Snapshot s = decode(new String(plain, StandardCharsets.UTF_8));
            if (!Long.valueOf(s.epoch()).equals(outer.getLong("epoch"))) {
                throw new SessionException(SessionErrors.SEAL_BROKEN, "the clear epoch " + outer.getLong("epoch")
                        + " is not the sealed one " + s.epoch());
            }
            return Optional.of(s);
        } catch (GmgateException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (the cluster's copy of the modes): ignored");
            return Optional.empty();
        } catch (RuntimeException e) { // not JSON, not base64, not a snapshot: not ours
            LOG.log(System.Logger.Level.WARNING, SessionErrors.SEAL_BROKEN.code() + " the cluster's copy of the modes is "
                    + "not in the form this node writes (" + e.getClass().getSimpleName() + "): ignored");
            return Optional.empty();
        }
    }

    private Future<Void> offer(AsyncMap<String, String> m, PgModeStore.Snapshot s, String encoded, int attemptsLeft) {
        return m.get(KEY).compose(current -> {
            // a copy that does not open is overwritten; one that does is replaced only by a newer epoch
            if (current != null && open(current).map(c -> c.epoch() >= s.epoch()).orElse(false)) {
                return Future.succeededFuture();
            }
            Future<Boolean> written = current == null
                    ? m.putIfAbsent(KEY, encoded).map(previous -> previous == null)
                    : m.replaceIfPresent(KEY, current, encoded);
            return written.compose(ok -> ok || attemptsLeft <= 1 ? Future.succeededFuture() : offer(m, s, encoded, attemptsLeft - 1));
        });
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(MAP);
    }

    static String encode(PgModeStore.Snapshot s) {
        JsonArray settings = new JsonArray();
        for (ModeSetting m : s.settings()) {
            settings.add(new JsonObject().put("scope", m.scope().toString()).put("mode", m.mode().name())
                    .put("reason", m.reason()).put("operator", m.operator()).put("setAt", m.setAt().toString())
                    .put("expiresAt", m.expiresAt().map(Instant::toString).orElse(null)).put("epoch", m.epoch()));
        }
        return new JsonObject().put("epoch", s.epoch()).put("settings", settings).encode();
    }

    static PgModeStore.Snapshot decode(String json) {
        JsonObject j = new JsonObject(json);
        List<ModeSetting> settings = new ArrayList<>();
        for (Object o : j.getJsonArray("settings")) {
            JsonObject m = (JsonObject) o;
            settings.add(new ModeSetting(Scope.parse(m.getString("scope")), AccessMode.valueOf(m.getString("mode")),
                    m.getString("reason"), m.getString("operator"), Instant.parse(m.getString("setAt")),
                    Optional.ofNullable(m.getString("expiresAt")).map(Instant::parse), m.getLong("epoch")));
        }
        return new PgModeStore.Snapshot(settings, j.getLong("epoch"));
    }
}
