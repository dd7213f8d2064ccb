package io.gmgate.cosign.http;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * A cosign node's admin listener (docs/operations.md): {@code GET /metrics} in the Prometheus text format, and
 * the health paths a probe or a scraper may ask there too. Read-only and unauthenticated, like the
 * gateway's /metrics: bind it to loopback or a pod address that only the monitoring reaches.
 */
public final class CosignAdminServer {

    private final Vertx vertx;
    private final Supplier<String> scrape;
    private final BooleanSupplier ready;
    private HttpServer server;

    /**
     * @param scrape the registry's Prometheus text
     * @param ready  whether the node can serve; blocking (it asks the database), so run on a worker
     */
    public CosignAdminServer(Vertx vertx, Supplier<String> scrape, BooleanSupplier ready) {
        this.vertx = vertx;
        this.scrape = scrape;
        this.ready = ready;
    }

    /** Listens on host:port (0 = any free port); completes with the bound port. */
    public Future<Integer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4")
                .end(scrape.get()));
        router.get("/health/live").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"status\":\"UP\"}"));
        router.get("/health/ready").handler(ctx -> vertx.executeBlocking(ready::getAsBoolean, false).onComplete(ar -> {
            boolean up = ar.succeeded() && ar.result();
            ctx.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        }));
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        return server.requestHandler(router).listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
