package io.gmgate.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 */
final class ClusterModeMirror {

    static final String MAP = "gmgate.modes";
    static final String KEY = "snapshot";
    private static final int CAS_ATTEMPTS = 4;

    private final Vertx vertx;

    ClusterModeMirror(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<Optional<PgModeStore.Snapshot>> read() {
        return map().compose(m -> m.get(KEY)).map(v -> Optional.ofNullable(v).map(ClusterModeMirror::decode));
    }

    /** Stores the snapshot unless the entry already holds this epoch or a newer one. */
    Future<Void> offer(PgModeStore.Snapshot s) {
        return map().compose(m -> offer(m, s, encode(s), CAS_ATTEMPTS));
    }

    private Future<Void> offer(AsyncMap<String, String> m, PgModeStore.Snapshot s, String encoded, int attemptsLeft) {
        return m.get(KEY).compose(current -> {
            if (current != null && decode(current).epoch() >= s.epoch()) {
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
