package io.gmgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

class AdminServerTest {

    /** An in-memory mode table standing where session/'s cluster registry is wired in the app. */
    static final class TableActions implements AdminActions {
        final Map<String, String> modes = new ConcurrentHashMap<>(Map.of("cluster", "NORMAL"));
        final List<String> locks = new ArrayList<>();

        @Override
        public Map<String, String> modes() {
            return Map.copyOf(modes);
        }

        @Override
        public void setMode(String scope, String mode, String reason, Optional<Duration> ttl, Operator by) {
            if (!Set.of("NORMAL", "ONE_WAY", "BYPASS").contains(mode)) {
                throw new IllegalArgumentException("unknown mode " + mode);
            }
            modes.put(scope, mode);
        }

        @Override
        public List<Map<String, Object>> onlineTerminals() {
            return List.of(Map.of("id", "c1", "account", "8001234", "node", "gw-1"));
        }

        @Override
        public boolean disconnect(String connectionId, Operator by) {
            return "c1".equals(connectionId);
        }

        @Override
        public void approveDevice(String account, String device, String reason, Operator by) {
            locks.add("approve " + account + "/" + device);
        }

        @Override
        public void setCertificateLocked(String serialHex, boolean locked, String reason, Operator by) {
            locks.add(serialHex + "=" + locked);
        }

        @Override
        public Map<String, Object> status() {
            return Map.of("node", "gw-1");
        }
    }

    private Vertx vertx;
    private AdminServer server;
    private int port;
    private final TableActions actions = new TableActions();
    private final List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean databaseUp = true;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        AdminTokens tokens = AdminTokens.parse(List.of(
                "# test operators",
                AdminTokens.line("sre-token", "alice", EnumSet.of(Role.SRE)),
                AdminTokens.line("audit-token", "carol", EnumSet.of(Role.AUDITOR)),
                AdminTokens.line("keyop-token", "bob", EnumSet.of(Role.KEY_OPERATOR)),
                AdminTokens.line("viewer-token", "dave", EnumSet.of(Role.VIEWER))), "test");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("gmgate_handshakes_total", "suite", "ECC_SM4_GCM_SM3", "result", "ok").increment(3);
        ReadinessCheck db = new ReadinessCheck() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public String check() {
                if (!databaseUp) {
                    throw new IllegalStateException("connection refused");
                }
                return "ok";
            }
        };
        server = new AdminServer(vertx, tokens, actions, List.of(db), registry,
                (op, action, detail) -> audited.add(op.name() + " " + action + " " + detail));
        port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        assertEquals(200, call("GET", "/health/live", null, null).statusCode());
        assertEquals(200, call("GET", "/health/ready", null, null).statusCode());
        databaseUp = false;
        HttpResponse<String> down = call("GET", "/health/ready", null, null);
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("connection refused"), down.body());
        assertTrue(call("GET", "/metrics", null, null).body().contains("gmgate_handshakes_total"));
    }

    @Test
    void anSreFlipsTheModeAndItIsAudited() throws Exception {
        HttpResponse<String> r = call("PUT", "/admin/v1/mode", "sre-token",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"drill C.1\",\"ttl\":\"PT30M\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("BYPASS", actions.modes.get("cluster"));
        assertEquals(List.of("alice mode.set cluster -> BYPASS (drill C.1)"), audited);
    }

    @Test
    void theAuditorReadsButCannotChangeAnything() throws Exception {
        assertEquals(200, call("GET", "/admin/v1/mode", "audit-token", null).statusCode());
        HttpResponse<String> r = call("PUT", "/admin/v1/mode", "audit-token",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\"}");
        assertEquals(403, r.statusCode());
        assertEquals("ADMIN-301", new JsonObject(r.body()).getString("code"));
        assertEquals("NORMAL", actions.modes.get("cluster"));
        // a refused attempt is audited too (before, nothing was)
        assertEquals(List.of("carol mode.set.refused ADMIN-301"), audited);
    }

    @Test
    void theViewerReadsTheConsoleAndIsRefusedEveryAction() throws Exception {
        HttpResponse<String> page = call("GET", "/console/", null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("gmgate console"), page.body());
        assertEquals("default-src 'self'; frame-ancestors 'none'", page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals(200, call("GET", "/console/console.js", null, null).statusCode());
        JsonObject me = new JsonObject(call("GET", "/admin/v1/whoami", "viewer-token", null).body()).getJsonObject("result");
        assertEquals("[\"VIEWER\"]", me.getJsonArray("roles").encode());
        assertEquals(new JsonObject().put("setMode", false).put("disconnect", false).put("lockCertificate", false),
                me.getJsonObject("may"));
        assertEquals(200, call("GET", "/admin/v1/console/modes", "viewer-token", null).statusCode());
        assertEquals(200, call("GET", "/admin/v1/console/terminals?q=gw-1", "viewer-token", null).statusCode());
        String[][] refused = {{"PUT", "/admin/v1/console/mode", "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\",\"ttl\":\"PT5M\"}"},
                {"PUT", "/admin/v1/mode", "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\"}"},
                {"DELETE", "/admin/v1/terminals/c1", null}, {"POST", "/admin/v1/certificates/0A1B/lock", "{\"reason\":\"x\"}"}};
        for (String[] r : refused) {
            HttpResponse<String> answer = call(r[0], r[1], "viewer-token", r[2]);
            assertEquals(403, answer.statusCode(), r[1]);
            assertEquals("ADMIN-301", new JsonObject(answer.body()).getString("code"), r[1]);
        }
        assertEquals("NORMAL", actions.modes.get("cluster"));
        assertTrue(actions.locks.isEmpty());
        assertEquals(4, audited.stream().filter(a -> a.startsWith("dave ") && a.contains(".refused ADMIN-301")).count(), audited.toString());
    }

    @Test
    void theConsoleModeChangeNeedsATimeToLiveAndSaysWhyNoPolicyWasPublished() throws Exception {
        HttpResponse<String> noTtl = call("PUT", "/admin/v1/console/mode", "sre-token",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"drill\"}");
        assertEquals(400, noTtl.statusCode());
        assertEquals("NORMAL", actions.modes.get("cluster"));
        HttpResponse<String> r = call("PUT", "/admin/v1/console/mode", "sre-token",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"drill\",\"ttl\":\"PT20M\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject policy = new JsonObject(r.body()).getJsonObject("result").getJsonObject("policy");
        assertEquals(false, policy.getBoolean("published"));
        assertEquals("ADMIN-304", policy.getString("code"));
        assertEquals("BYPASS", actions.modes.get("cluster"));
        assertEquals(List.of("alice mode.set cluster -> BYPASS for PT20M (drill)"), audited);
    }

    @Test
    void keyOfficersLockCertificatesSresDoNot() throws Exception {
        assertEquals(200, call("POST", "/admin/v1/certificates/0A1B/lock", "keyop-token", "{\"reason\":\"lost token\"}").statusCode());
        assertEquals(403, call("POST", "/admin/v1/certificates/0A1B/unlock", "sre-token", "{\"reason\":\"x\"}").statusCode());
        assertEquals(List.of("0A1B=true"), actions.locks);
        assertEquals(403, call("POST", "/admin/v1/accounts/8001/devices/pc-2/approve", "sre-token", "{\"reason\":\"x\"}").statusCode());
        assertEquals(200, call("POST", "/admin/v1/accounts/8001/devices/pc-2/approve", "keyop-token",
                "{\"reason\":\"replacement PC, holder called in\"}").statusCode());
        assertEquals(List.of("0A1B=true", "approve 8001/pc-2"), actions.locks);
    }

    @Test
    void missingOrWrongTokensAreRefused() throws Exception {
        assertEquals(401, call("GET", "/admin/v1/status", null, null).statusCode());
        HttpResponse<String> r = call("GET", "/admin/v1/status", "guess", null);
        assertEquals(401, r.statusCode());
        assertEquals("ADMIN-300", new JsonObject(r.body()).getString("code"));
    }

    @Test
    void badRequestsGetACodeNotAStackTrace() throws Exception {
        String[] bodies = {"not json", "[1,2]", "{\"scope\":\"cluster\"}", "{\"scope\":\"cluster\",\"mode\":\"OFF\",\"reason\":\"x\"}",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\",\"ttl\":\"soon\"}", "{\"scope\":1,\"mode\":\"BYPASS\",\"reason\":\"x\"}"};
        for (String b : bodies) {
            HttpResponse<String> r = call("PUT", "/admin/v1/mode", "sre-token", b);
            assertEquals(400, r.statusCode(), b + " -> " + r.body());
            assertEquals("ADMIN-302", new JsonObject(r.body()).getString("code"), b);
            assertFalse(r.body().contains("Exception"), r.body());
        }
        assertEquals(400, call("POST", "/admin/v1/certificates/zz!/lock", "keyop-token", "{\"reason\":\"x\"}").statusCode());
    }

    @Test
    void theAuditorCannotBeGivenAnotherRole() {
        assertThrows(IllegalArgumentException.class, () -> AdminTokens.parse(List.of(
                AdminTokens.line("t", "mallory", EnumSet.of(Role.AUDITOR, Role.SRE))), "test"));
    }
}
