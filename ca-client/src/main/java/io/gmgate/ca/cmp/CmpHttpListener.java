package io.gmgate.ca.cmp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP listener for {@link CmpServer} (RFC 6712): POST of application/pkixcmp to one path,
 * answered with application/pkixcmp. It serves `gmgate ca` and tests on its own; the gateway may
 * mount {@link CmpServer#handle} on its Vert.x router instead. Anything that is not a CMP POST gets
 * a plain HTTP status and no detail.
 */
public final class CmpHttpListener implements AutoCloseable {

    /** A CMP request is a few kilobytes; refuse anything far larger before reading it. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int THREADS = 4;

    private final HttpServer http;
    private final ExecutorService workers;
    private final String path;

    private CmpHttpListener(HttpServer http, ExecutorService workers, String path) {
        this.http = http;
        this.workers = workers;
        this.path = path;
    }

    /** Binds address (port 0 picks a free one) and serves server under path, e.g. "/.well-known/cmp" (RFC 9811). */
    public static CmpHttpListener start(CmpServer server, InetSocketAddress address, String path) throws IOException {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("CMP path must start with '/': " + path);
        }
        HttpServer http = HttpServer.create(address, 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "cmp-http-" + server.name() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.createContext(path, exchange -> serve(server, exchange));
        http.start();
        return new CmpHttpListener(http, workers, path);
    }

    private static void serve(CmpServer server, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(CmpMessages.CONTENT_TYPE)) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (request.length > MAX_REQUEST_BYTES) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            byte[] answer = server.handle(request);
            exchange.getResponseHeaders().set("Content-Type", CmpMessages.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://" + http.getAddress().getHostString() + ":" + port() + path);
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "CmpHttpListener[" + uri() + "]";
    }
}
