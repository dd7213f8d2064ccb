package io.gmgate.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;
import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The admin HTTP API on its own port (design §9): health for Kubernetes probes, Prometheus
 * metrics, and the SRE and key-officer actions, each behind a role check and written to the
 * audit hook. Failures answer with a JSON body carrying the code; never a stack trace.
 */
public final class AdminServer {

    private static final Set<Role> READERS = ConsoleRoutes.READERS;
    private static final Set<Role> SRE = ConsoleRoutes.SRE;
    private static final Set<Role> KEY_OFFICERS = ConsoleRoutes.KEY_OFFICERS;
    private static final long CHECK_TIMEOUT_MS = 2_000;

    /** Records who did what through the admin API; the app backs it with the audit log. */
    public interface AuditHook {
        AuditHook NONE = (operator, action, detail) -> { };

        void record(Operator operator, String action, String detail);
    }

    private final Vertx vertx;
    private final AdminTokens tokens;
    private final AdminActions actions;
    private final List<ReadinessCheck> checks;
    private final PrometheusMeterRegistry metrics;
    private final AuditHook audit;
    private final ConsoleViews views;
    private HttpServer server;

    public AdminServer(Vertx vertx, AdminTokens tokens, AdminActions actions, List<ReadinessCheck> checks,
                       PrometheusMeterRegistry metrics, AuditHook audit) {
        this(vertx, tokens, actions, checks, metrics, audit, ConsoleViews.NONE);
    }

    /** With the web console's data (docs/console.md): the pages under /console read it. */
    public AdminServer(Vertx vertx, AdminTokens tokens, AdminActions actions, List<ReadinessCheck> checks,
                       PrometheusMeterRegistry metrics, AuditHook audit, ConsoleViews views) {
        this.views = views;
        this.vertx = vertx;
        this.tokens = tokens;
        this.actions = actions;
        this.checks = List.copyOf(checks);
        this.metrics = metrics;
        this.audit = audit;
    }

    public Future<Integer> listen(String host, int port) {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create().setBodyLimit(16 * 1024));
        r.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        r.get("/health/ready").handler(this::ready);
        r.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4")
                .end(metrics.scrape()));
        r.get("/admin/v1/status").handler(ctx -> guarded(ctx, READERS, "status", op -> actions.status()));
        r.get("/admin/v1/mode").handler(ctx -> guarded(ctx, READERS, "mode.show", op -> actions.modes()));
        r.put("/admin/v1/mode").handler(ctx -> guarded(ctx, SRE, "mode.set", op -> setMode(ctx, op)));
        r.get("/admin/v1/terminals").handler(ctx -> guarded(ctx, READERS, "terminals.list",
                op -> Map.of("terminals", actions.onlineTerminals())));
        r.delete("/admin/v1/terminals/:id").handler(ctx -> guarded(ctx, SRE, "terminals.disconnect", op -> {
            String id = ctx.pathParam("id");
            audit.record(op, "terminals.disconnect", id);
            return Map.of("disconnected", actions.disconnect(id, op));
        }));
        r.post("/admin/v1/certificates/:serial/lock").handler(ctx -> guarded(ctx, KEY_OFFICERS, "certificate.lock",
                op -> lock(ctx, op, true)));
        r.post("/admin/v1/certificates/:serial/unlock").handler(ctx -> guarded(ctx, KEY_OFFICERS, "certificate.unlock",
                op -> lock(ctx, op, false)));
        r.post("/admin/v1/accounts/:account/devices/:device/approve").handler(ctx -> guarded(ctx, KEY_OFFICERS, "device.approve",
                op -> approveDevice(ctx, op)));
        new ConsoleRoutes(this, actions, views, audit).mount(r);
        r.route().last().handler(ctx -> error(ctx, 404, GatewayErrors.ADMIN_BAD_REQUEST, "no such admin route"));
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        s.requestHandler(r);
        server = s;
        return s.listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private Object setMode(RoutingContext ctx, Operator op) {
        JsonObject body = body(ctx);
        String scope = field(body, "scope");
        String mode = field(body, "mode");
        String reason = field(body, "reason");
        Optional<Duration> ttl = Optional.ofNullable(body.getString("ttl")).map(t -> {
            try {
                return Duration.parse(t);
            } catch (RuntimeException e) {
                throw bad("ttl must be an ISO-8601 duration such as PT30M, got '" + t + "'");
            }
        });
        actions.setMode(scope, mode, reason, ttl, op);
        audit.record(op, "mode.set", scope + " -> " + mode + " (" + reason + ")");
        return actions.modes();
    }

    private Object lock(RoutingContext ctx, Operator op, boolean locked) {
        String serial = ctx.pathParam("serial");
        if (!serial.matches("[0-9a-fA-F]{1,64}")) {
            throw bad("certificate serial must be hex");
        }
        String reason = field(body(ctx), "reason");
        actions.setCertificateLocked(serial, locked, reason, op);
        audit.record(op, locked ? "certificate.lock" : "certificate.unlock", serial + " (" + reason + ")");
        return Map.of("serial", serial, "locked", locked);
    }

    private Object approveDevice(RoutingContext ctx, Operator op) {
        String account = ctx.pathParam("account");
        String device = ctx.pathParam("device");
        if (account.isEmpty() || account.length() > 128 || device.isEmpty() || device.length() > 128) {
            throw bad("account and device must be 1-128 characters");
        }
        String reason = field(body(ctx), "reason");
        actions.approveDevice(account, device, reason, op);
        audit.record(op, "device.approve", account + "/" + device + " (" + reason + ")");
        return Map.of("account", account, "device", device, "approved", true);
    }

    private void ready(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            boolean up = true;
            for (ReadinessCheck c : checks) {
                try {
                    detail.put(c.name(), Map.of("status", "UP", "detail", c.check()));
                } catch (Exception e) {
                    up = false;
                    String why = e instanceof GmgateException g ? g.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                    detail.put(c.name(), Map.of("status", "DOWN", "detail", String.valueOf(why)));
                }
            }
            return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", new JsonObject(detail));
        }, false).timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, "UP".equals(ar.result().getString("status")) ? 200 : 503, ar.result());
            } else {
                json(ctx, 503, new JsonObject().put("status", "DOWN").put("error", "readiness checks timed out"));
            }
        });
    }

    @FunctionalInterface
    interface Action {
        Object run(Operator op) throws Exception;
    }

    void guarded(RoutingContext ctx, Set<Role> allowed, String action, Action body) {
        String auth = ctx.request().getHeader("Authorization");
        Optional<Operator> op = auth != null && auth.startsWith("Bearer ")
                ? tokens.authenticate(auth.substring(7).trim()) : Optional.empty();
        if (op.isEmpty()) {
            error(ctx, 401, GatewayErrors.ADMIN_UNAUTHENTICATED, "no valid bearer token");
            return;
        }
        if (!op.get().hasAny(allowed)) {
            // a refused attempt is audited too: a viewer token trying an SRE action is worth a look
            vertx.executeBlocking(() -> {
                audit.record(op.get(), action + ".refused", GatewayErrors.ADMIN_FORBIDDEN.code());
                return null;
            }, false).onComplete(ar ->
                    error(ctx, 403, GatewayErrors.ADMIN_FORBIDDEN, "operator " + op.get().name() + " may not " + action));
            return;
        }
        Callable<Object> work = () -> body.run(op.get());
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, 200, new JsonObject().put("result", ar.result()));
                return;
            }
            Throwable t = ar.cause();
            if (t instanceof GmgateException g) {
                boolean mine = g.errorCode() == GatewayErrors.ADMIN_BAD_REQUEST;
                error(ctx, mine || !g.errorCode().retryable() ? 400 : 503, g.errorCode(), g.getMessage());
            } else if (t instanceof IllegalArgumentException) {
                error(ctx, 400, GatewayErrors.ADMIN_BAD_REQUEST, t.getMessage());
            } else {
                error(ctx, 500, GatewayErrors.ADMIN_ACTION_FAILED, action + " failed: " + t.getClass().getSimpleName());
            }
        });
    }

    static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject b = ctx.body().asJsonObject();
            if (b == null) {
                throw bad("a JSON object body is required");
            }
            return b;
        } catch (DecodeException | ClassCastException e) {
            throw bad("body is not a JSON object");
        }
    }

    static String field(JsonObject body, String name) {
        Object v = body.getValue(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw bad("field '" + name + "' must be a non-empty string");
        }
        return s;
    }

    private static GatewayException bad(String why) {
        return new GatewayException(GatewayErrors.ADMIN_BAD_REQUEST, why);
    }

    private static void error(RoutingContext ctx, int status, ErrorCode code, String message) {
        json(ctx, status, new JsonObject().put("code", code.code()).put("message", message)
                .put("action", code.action()).put("retryable", code.retryable()));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
