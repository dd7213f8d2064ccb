package io.gmgate.gateway.admin;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gmgate.error.GmgateException;
import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console (docs/console.md) on the admin listener: static pages from the jar under /console
 * (no CDN, no build step) and the JSON they read under /admin/v1/console. The pages hide what the
 * operator's roles forbid; these routes refuse it (ADMIN-301) whatever the page does, and every
 * action goes through the admin server's audit hook.
 */
final class ConsoleRoutes {

    /** Where the pages live in the jar; a path no working directory is likely to hold (StaticHandler looks there first). */
    static final String WEB_ROOT = "io/gmgate/gateway/console";

    static final Set<Role> READERS = EnumSet.allOf(Role.class);
    static final Set<Role> SRE = EnumSet.of(Role.SRE);
    static final Set<Role> KEY_OFFICERS = EnumSet.of(Role.KEY_ADMIN, Role.KEY_OPERATOR);
    private static final int AUDIT_ROWS = 200;

    private final AdminServer server;
    private final AdminActions actions;
    private final ConsoleViews views;
    private final AdminServer.AuditHook audit;

    ConsoleRoutes(AdminServer server, AdminActions actions, ConsoleViews views, AdminServer.AuditHook audit) {
        this.server = server;
        this.actions = actions;
        this.views = views;
        this.audit = audit;
    }

    void mount(Router r) {
        r.getWithRegex("/console").handler(ctx -> ctx.redirect("/console/"));
        // the pages load only their own files and may not be framed: a value that slipped into markup could not
        // pull a script from elsewhere, nor a page of another site drive the console in a hidden frame
        r.route("/console/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        r.route("/console/*").handler(StaticHandler.create(WEB_ROOT).setCachingEnabled(false).setIndexPage("index.html"));
        r.get("/admin/v1/whoami").handler(ctx -> server.guarded(ctx, READERS, "whoami", ConsoleRoutes::whoami));
        r.get("/admin/v1/console/site").handler(ctx -> server.guarded(ctx, READERS, "console.site", op -> views.site()));
        r.get("/admin/v1/console/modes").handler(ctx -> server.guarded(ctx, READERS, "console.modes", op -> views.modeTable()));
        r.put("/admin/v1/console/mode").handler(ctx -> server.guarded(ctx, SRE, "mode.set", op -> setModeAndPublish(ctx, op)));
        r.get("/admin/v1/console/certificates/expiring").handler(ctx -> server.guarded(ctx, READERS, "console.expiring",
                op -> Map.of("certificates", views.expiringCertificates())));
        r.get("/admin/v1/console/audit").handler(ctx -> server.guarded(ctx, READERS, "console.audit",
                op -> views.auditTrail(AUDIT_ROWS)));
        r.get("/admin/v1/console/terminals").handler(ctx -> server.guarded(ctx, READERS, "terminals.list",
                op -> Map.of("terminals", search(ctx.request().getParam("q", "")))));
        r.get("/admin/v1/console/meters").handler(ctx -> server.guarded(ctx, READERS, "console.meters", op -> views.meters()));
    }

    /** Online terminals whose account, node or connection id contains {@code q}, or whose certificate serial is {@code q}. */
    private java.util.List<Map<String, Object>> search(String q) {
        String needle = q.strip().toLowerCase(java.util.Locale.ROOT);
        if (needle.isEmpty()) {
            return actions.onlineTerminals();
        }
        Optional<String> bySerial = needle.matches("[0-9a-f]{1,64}") ? views.accountOfCertificate(needle) : Optional.empty();
        return actions.onlineTerminals().stream().filter(t -> {
            for (String key : new String[] {"account", "node", "id"}) {
                if (String.valueOf(t.get(key)).toLowerCase(java.util.Locale.ROOT).contains(needle)) {
                    return true;
                }
            }
            return bySerial.isPresent() && bySerial.get().equals(t.get("account"));
        }).toList();
    }

    /** Who the token is and what the pages may offer; the routes check the same sets. */
    static Map<String, Object> whoami(Operator op) {
        Map<String, Object> may = new LinkedHashMap<>();
        may.put("setMode", op.hasAny(SRE));
        may.put("disconnect", op.hasAny(SRE));
        may.put("lockCertificate", op.hasAny(KEY_OFFICERS));
        return Map.of("name", op.name(), "roles", op.roles().stream().map(Role::name).sorted().toList(), "may", may);
    }

    /**
     * The console's mode change: a reason and a time-to-live are required (a downgrade must end by
     * itself), then the mode is set and the next signed access policy published — or the answer
     * says which custodian step is missing, the mode change itself standing.
     */
    private Object setModeAndPublish(RoutingContext ctx, Operator op) {
        JsonObject body = AdminServer.body(ctx);
        String scope = AdminServer.field(body, "scope");
        String mode = AdminServer.field(body, "mode");
        String reason = AdminServer.field(body, "reason");
        Duration ttl = parseTtl(AdminServer.field(body, "ttl"));
        actions.setMode(scope, mode, reason, Optional.of(ttl), op);
        audit.record(op, "mode.set", scope + " -> " + mode + " for " + ttl + " (" + reason + ")");
        Map<String, Object> policy;
        try {
            policy = views.publishPolicy(mode, Optional.of(ttl), op);
            audit.record(op, "policy.publish", "#" + policy.get("serial") + " " + mode);
        } catch (GmgateException e) {
            policy = Map.of("published", false, "code", e.errorCode().code(), "message", e.getMessage(),
                    "action", e.errorCode().action());
        }
        return Map.of("modes", actions.modes(), "policy", policy);
    }

    private static Duration parseTtl(String ttl) {
        try {
            Duration d = Duration.parse(ttl);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("out of range");
            }
            return d;
        } catch (RuntimeException e) {
            throw new GatewayException(GatewayErrors.ADMIN_BAD_REQUEST,
                    "ttl must be an ISO-8601 duration between PT1S and P7D such as PT30M, got '" + ttl + "'");
        }
    }
}
