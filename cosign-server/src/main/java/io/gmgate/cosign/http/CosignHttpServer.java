package io.gmgate.cosign.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.cosign.CosignMeters;
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
 *
 * <p>Clients reach it through a {@link SourceFront} that names the real client (the gateway's PROXY
 * header) and caps connections per client; the HTTP server itself listens on a loopback port. A request
 * must arrive whole within the body timeout; it counts as in flight (node-wide and per client) only
 * once its body is complete, so slow senders hold connections, which are capped, not worker slots.
 */
public final class CosignHttpServer {

    private static final String BODY_TIMER = "gmgate.bodyTimer";
    /** The code of the answer sent, for the request counter ("ok" for a success). */
    private static final String ANSWER_CODE = "gmgate.answerCode";
    /** After a body timeout the answer is flushed, then the connection (which cannot carry another request) closed. */
    private static final long CLOSE_AFTER_ANSWER_MILLIS = 200;

    private final Vertx vertx;
    private final CosignService service;
    private final WorkerExecutor workers;
    private final int maxInFlight;
    private final ListenerLimits limits;
    private final SourceFront front;
    private final BooleanSupplier ready;
    private final CosignMeters meters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Integer> inFlightBySource = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    public CosignHttpServer(Vertx vertx, CosignService service, int workerThreads, ListenerLimits limits, BooleanSupplier ready) {
        this(vertx, service, workerThreads, limits, ready, CosignMeters.none());
    }

    public CosignHttpServer(Vertx vertx, CosignService service, int workerThreads, ListenerLimits limits, BooleanSupplier ready,
                            CosignMeters meters) {
        this.meters = meters;
        this.vertx = vertx;
        this.service = service;
        this.workers = vertx.createSharedWorkerExecutor("cosign-" + service.settings().node(), workerThreads);
        this.maxInFlight = service.settings().maxInFlight();
        this.limits = limits;
        this.front = new SourceFront(vertx, AddressSet.parse(service.settings().trustedProxies()), limits, service.settings().node());
        this.ready = ready;
    }

    /** Listens on host:port (0 = any free port) through the front; completes with the bound port. */
    public Future<Integer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"status\":\"UP\"}"));
        router.get("/health/ready").handler(this::readiness);
        router.route("/v1/*").handler(this::measure);
        router.route("/v1/*").handler(this::admit);
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(service.settings().maxBodyBytes()));
        router.post("/v1/*").handler(this::handle);
        router.route().handler(ctx -> fail(ctx, new CosignException(CosignErrors.NO_SUCH_OPERATION,
                ctx.request().method() + " " + clip(ctx.request().path()) + " is not an operation of API v1"), null));
        router.route().failureHandler(this::failure);
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setMaxInitialLineLength(1024)
                .setMaxHeaderSize(8192).setCompressionSupported(false)
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        return server.requestHandler(router).listen()
                .compose(s -> front.listen(host, port, s.actualPort()))
                .map(p -> this.port = p);
    }

    public int port() {
        return port;
    }

    public Future<Void> close() {
        Future<Void> f = front.close().eventually(() -> server == null ? Future.succeededFuture() : server.close());
        return f.eventually(() -> workers.close());
    }

    /** Too many connections open or requests in flight: readiness says DOWN until they drain. */
    public boolean saturated() {
        return front.saturated() || inFlight.get() >= maxInFlight;
    }

    private void readiness(RoutingContext ctx) {
        if (saturated()) {
            ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"status\":\"DOWN\",\"saturated\":true}");
            return;
        }
        workers.executeBlocking(ready::getAsBoolean, false).onComplete(ar -> {
            boolean up = ar.succeeded() && ar.result();
            ctx.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
    }

    /** Counts and times every API request, from its arrival to its answer written (the phase {@code http}). */
    private void measure(RoutingContext ctx) {
        long started = System.nanoTime();
        String path = ctx.request().path();
        String operation = path.length() > "/v1/".length() ? path.substring("/v1/".length()) : "";
        ctx.addEndHandler(v -> meters.answered(operation, ctx.get(ANSWER_CODE, CosignMeters.OK),
                System.nanoTime() - started));
        ctx.next();
    }

    /** Cheap checks before the body is read: method, content type and the per-address rate; starts the body timer. */
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
        try {
            service.admitAddress(clientAddress(ctx));
        } catch (CosignException e) {
            fail(ctx, e, null);
            return;
        }
        long timer = vertx.setTimer(limits.bodyTimeout().toMillis(), t -> {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            fail(ctx, new CosignException(CosignErrors.REQUEST_TIMEOUT, "request body not complete within "
                    + limits.bodyTimeout().toMillis() + " ms"), null);
            vertx.setTimer(CLOSE_AFTER_ANSWER_MILLIS, c -> ctx.request().connection().close());
        });
        ctx.put(BODY_TIMER, timer);
        ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        ctx.next();
    }

    /** Counts a request whose body is complete, node-wide and for its client; false (answered) when over a cap. */
    private boolean enter(RoutingContext ctx, String address) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            fail(ctx, new CosignException(CosignErrors.OVERLOADED, "[cosign " + service.settings().node() + "] " + maxInFlight
                    + " requests in flight", 1), null);
            return false;
        }
        if (inFlightBySource.merge(address, 1, Integer::sum) > limits.inFlightPerSource()) {
            leave(address);
            fail(ctx, new CosignException(CosignErrors.SOURCE_LIMITED, address + " has " + limits.inFlightPerSource()
                    + " requests in flight", 1), null);
            return false;
        }
        ctx.addEndHandler(v -> leave(address));
        return true;
    }

    private void leave(String address) {
        inFlight.decrementAndGet();
        inFlightBySource.computeIfPresent(address, (k, v) -> v <= 1 ? null : v - 1);
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
        Long timer = ctx.get(BODY_TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (!enter(ctx, address)) {
            return;
        }
        Map<String, Object> body;
        try {
            body = StrictJson.parseObject(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (CosignException e) {
            fail(ctx, e, null);
            return;
        }
        workers.executeBlocking(() -> meters.serving(operation, () -> service.handle(operation, body, address)), false).onComplete(ar -> {
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
        Integer retryAfter = retryAfter(e, status);
        send(ctx, status, errorBody(e, retryAfter, nonce), retryAfter);
    }

    static Integer retryAfter(GmgateException e, int status) {
        return e instanceof CosignException c && c.retryAfterSeconds() != null ? c.retryAfterSeconds()
                : (HttpStatuses.defaultRetryAfter(e.errorCode()) > 0 && (status == 503 || status == 429)
                        ? HttpStatuses.defaultRetryAfter(e.errorCode()) : null);
    }

    /** The §3 error body. */
    static Map<String, Object> errorBody(GmgateException e, Integer retryAfter, String nonce) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.errorCode().code());
        body.put("message", e.getMessage());
        body.put("action", e.errorCode().action());
        body.put("retryAfterSeconds", retryAfter);
        if (nonce != null) {
            body.put("nonce", nonce);
        }
        return body;
    }

    private static void send(RoutingContext ctx, int status, Map<String, Object> body, Integer retryAfter) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        if (body.get("code") instanceof String code) {
            ctx.put(ANSWER_CODE, code);
        }
        r.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        if (retryAfter != null) {
            r.putHeader("Retry-After", Integer.toString(retryAfter));
        }
        r.end(Json.encode(body));
    }

    /** The real client: the one the front admitted this loopback connection for (the PROXY header's source, or the peer). */
    String clientAddress(RoutingContext ctx) {
        var remote = ctx.request().remoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return front.source(remote.port()).orElse(remote.hostAddress());
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
