package io.gmgate.cosign.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.cosign.CosignService;
import io.gmgate.cosign.Reply;
import io.gmgate.cosign.api.StrictJson;
import io.gmgate.error.GmgateException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The cosign service over HTTP/JSON on Vert.x (docs/cosign-api.md §1): POST /v1/&lt;operation&gt; with a
 * JSON body of at most {@code maxBodyBytes}, answered from a worker pool; GET /health/live and
 * /health/ready. Every failure — including a body that is too large, the wrong content type, an
 * unknown path or a bug — is the §3 error body with a code; never a stack trace.
 */
public final class CosignHttpServer {

    private final Vertx vertx;
    private final CosignService service;
    private final WorkerExecutor workers;
    private final int maxInFlight;
    private final Set<String> trustedProxies;
    private final BooleanSupplier ready;
    private final AtomicInteger inFlight = new AtomicInteger();
    private HttpServer server;

    public CosignHttpServer(Vertx vertx, CosignService service, int workerThreads, BooleanSupplier ready) {
        this.vertx = vertx;
        this.service = service;
        this.workers = vertx.createSharedWorkerExecutor("cosign-" + service.settings().node(), workerThreads);
        this.maxInFlight = service.settings().maxInFlight();
        this.trustedProxies = service.settings().trustedProxies();
        this.ready = ready;
    }

    public Future<HttpServer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"status\":\"UP\"}"));
        router.get("/health/ready").handler(this::readiness);
        router.route("/v1/*").handler(this::admit);
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(service.settings().maxBodyBytes()));
        router.post("/v1/*").handler(this::handle);
        router.route().handler(ctx -> fail(ctx, new CosignException(CosignErrors.NO_SUCH_OPERATION,
                ctx.request().method() + " " + clip(ctx.request().path()) + " is not an operation of API v1"), null));
        router.route().failureHandler(this::failure);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setMaxInitialLineLength(1024)
                .setMaxHeaderSize(8192).setCompressionSupported(false));
        return server.requestHandler(router).listen();
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        Future<Void> f = server == null ? Future.succeededFuture() : server.close();
        return f.eventually(() -> workers.close());
    }

    private void readiness(RoutingContext ctx) {
        workers.executeBlocking(ready::getAsBoolean, false).onComplete(ar -> {
            boolean up = ar.succeeded() && ar.result();
            ctx.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
    }

    /** Cheap checks before the body is read: method, content type, load and the per-address limit. */
    private void admit(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            fail(ctx, new CosignException(CosignErrors.NO_SUCH_OPERATION, ctx.request().method() + " is not allowed; API v1 uses POST"), null);
            return;
        }
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isJson(type)) {
            fail(ctx, new CosignException(CosignErrors.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + clip(String.valueOf(type))
                    + " is not application/json"), null);
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            fail(ctx, new CosignException(CosignErrors.OVERLOADED, "[cosign " + service.settings().node() + "] " + maxInFlight
                    + " requests in flight", 1), null);
            return;
        }
        ctx.addEndHandler(v -> inFlight.decrementAndGet());
        try {
            service.admitAddress(clientAddress(ctx));
        } catch (CosignException e) {
            fail(ctx, e, null);
            return;
        }
        ctx.next();
    }

    static boolean isJson(String type) {
        if (type == null) {
            return false;
        }
        String[] parts = type.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(java.util.Locale.ROOT);
            if (p.startsWith("charset=") && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private void handle(RoutingContext ctx) {
        String operation = ctx.request().path().substring("/v1/".length());
        String address = clientAddress(ctx);
        Map<String, Object> body;
        try {
            body = StrictJson.parseObject(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (CosignException e) {
            fail(ctx, e, null);
            return;
        }
        workers.executeBlocking(() -> service.handle(operation, body, address), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, new CosignException(CosignErrors.INTERNAL, "[cosign " + service.settings().node() + "] worker failed"), null);
                return;
            }
            Reply reply = ar.result();
            if (reply.isError()) {
                fail(ctx, reply.error(), reply.nonce());
            } else {
                send(ctx, 200, reply.body(), null);
            }
        });
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        int status = ctx.statusCode();
        GmgateException e;
        if (status == 413) {
            e = new CosignException(CosignErrors.BODY_TOO_LARGE, "request body exceeds " + service.settings().maxBodyBytes() + " bytes");
        } else if (status == 404 || status == 405) {
            e = new CosignException(CosignErrors.NO_SUCH_OPERATION, "no such operation");
        } else if (status == 400) {
            e = new CosignException(CosignErrors.MALFORMED_JSON, "request could not be read");
        } else {
            e = new CosignException(CosignErrors.INTERNAL, "[cosign " + service.settings().node() + "] request failed");
        }
        fail(ctx, e, null);
    }

    private void fail(RoutingContext ctx, GmgateException e, String nonce) {
        int status = HttpStatuses.of(e.errorCode());
        Integer retryAfter = e instanceof CosignException c && c.retryAfterSeconds() != null ? c.retryAfterSeconds()
                : (HttpStatuses.defaultRetryAfter(e.errorCode()) > 0 && (status == 503 || status == 429)
                        ? HttpStatuses.defaultRetryAfter(e.errorCode()) : null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.errorCode().code());
        body.put("message", e.getMessage());
        body.put("action", e.errorCode().action());
        body.put("retryAfterSeconds", retryAfter);
        if (nonce != null) {
            body.put("nonce", nonce);
        }
        send(ctx, status, body, retryAfter);
    }

    private static void send(RoutingContext ctx, int status, Map<String, Object> body, Integer retryAfter) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        if (retryAfter != null) {
            r.putHeader("Retry-After", Integer.toString(retryAfter));
        }
        r.end(Json.encode(body));
    }

    /** The peer address, or the client named by a trusted gateway's X-Forwarded-For (its right-most untrusted hop). */
    String clientAddress(RoutingContext ctx) {
        String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        String xff = ctx.request().getHeader("X-Forwarded-For");
        if (xff == null || xff.isBlank()) {
            return peer;
        }
        List<String> hops = List.of(xff.split(","));
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i).trim();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return clip(hop);
            }
        }
        return peer;
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
