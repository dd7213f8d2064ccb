package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.admin.ReadinessCheck;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every gateway node's own report — readiness with each check's detail, mode, terminals, fronts
 * and cosign nodes as it reaches them — in a cluster map, so the console on any node shows the
 * whole site (docs/console.md). A node that stops reporting is shown as not ready once its report is
 * {@value #STALE_SECONDS} s old; the entry lives a minute after its last write, then goes.
 */
final class NodeBoard implements AutoCloseable {

    static final String MAP = "gmgate.console.nodes";
    static final long STALE_SECONDS = 10;

    private final Vertx vertx;
    private final String node;
    private final String member;
    private final IMap<String, String> reports;
    private final List<ReadinessCheck> checks;
    private final List<FrontPool> pools;
    private final Supplier<String> mode;
    private final Supplier<Integer> online;
    private final Clock clock;
    private final HazelcastInstance hazelcast;
    private final long timer;

    NodeBoard(Vertx vertx, HazelcastInstance hazelcast, String node, String member, List<ReadinessCheck> checks, List<FrontPool> pools,
              Supplier<String> mode, Supplier<Integer> online, Clock clock, Duration every) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.node = node;
        this.member = member;
        this.reports = hazelcast.getMap(MAP);
        this.checks = List.copyOf(checks);
        this.pools = List.copyOf(pools);
        this.mode = mode;
        this.online = online;
        this.clock = clock;
        this.timer = vertx.setPeriodic(1, every.toMillis(), id -> vertx.executeBlocking(() -> {
            report();
            return null;
        }, false));
    }

    private void report() {
        JsonArray results = new JsonArray();
        boolean ready = true;
        String card = "?";
        for (ReadinessCheck c : checks) {
            String status = "UP";
            String detail;
            try {
                detail = c.check();
            } catch (Exception e) {
                status = "DOWN";
                ready = false;
                detail = String.valueOf(e.getMessage());
            }
            if ("card".equals(c.name())) {
                card = status + ": " + detail;
            }
            results.add(new JsonObject().put("name", c.name()).put("status", status).put("detail", detail));
        }
        JsonObject r = new JsonObject().put("name", node).put("member", member).put("at", clock.millis()).put("ready", ready).put("checks", results)
                .put("card", card).put("mode", mode.get()).put("online", online.get());
        for (FrontPool pool : pools) {
            JsonArray fronts = new JsonArray();
            pool.health().forEach((f, up) -> fronts.add(new JsonObject().put("name", f.name())
                    .put("address", f.host() + ":" + f.port()).put("up", up).put("from", node)));
            r.put("pool:" + pool.name(), fronts);
        }
        reports.set(node, r.encode(), 60, TimeUnit.SECONDS);
    }

    /** Node names by cluster member id (the online registry records the member). */
    Map<String, String> nodeNames() {
        Map<String, String> names = new java.util.HashMap<>();
        reports.values().forEach(json -> {
            JsonObject r = new JsonObject(json);
            names.put(r.getString("member"), r.getString("name"));
        });
        return names;
    }

    /** The site: members, then each node's report (a stale one marked not ready), fronts and cosign nodes by node. */
    Map<String, Object> site() {
        long now = clock.millis();
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<Object> fronts = new ArrayList<>();
        List<Object> cosign = new ArrayList<>();
        new java.util.TreeMap<>(reports).forEach((name, json) -> {
            JsonObject r = new JsonObject(json);
            long age = (now - r.getLong("at")) / 1000;
            if (age > STALE_SECONDS) {
                r.put("ready", false);
                r.getJsonArray("checks").add(new JsonObject().put("name", "report").put("status", "DOWN")
                        .put("detail", "no report for " + age + " s: the node is down or cut off from the cluster"));
            }
            r.getJsonArray("pool:fronts", new JsonArray()).forEach(f -> fronts.add(((JsonObject) f).getMap()));
            r.getJsonArray("pool:cosign", new JsonArray()).forEach(f -> cosign.add(((JsonObject) f).getMap()));
            r.remove("pool:fronts");
            r.remove("pool:cosign");
            nodes.add(r.getMap());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("members", hazelcast.getCluster().getMembers().stream().map(m -> m.getAddress().toString()).sorted().toList());
        out.put("nodes", nodes);
        out.put("fronts", fronts);
        out.put("cosignNodes", cosign);
        return out;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        try {
            reports.delete(node);
        } catch (RuntimeException leaving) {
            // the cluster is going away with this node; the entry expires by itself
        }
    }
}
