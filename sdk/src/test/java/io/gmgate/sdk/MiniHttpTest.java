package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class MiniHttpTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void keepAliveRequestsWithFixedAndChunkedBodies() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/v1/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean chunked = ex.getRequestHeaders().containsKey("X-Chunked");
            ex.getResponseHeaders().add("X-Seen-Type", ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(201, chunked ? 0 : body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            MiniHttp http = new MiniHttp(s.getInputStream(), s.getOutputStream(), "gw");
            MiniHttp.Response fixed = http.post("/v1/echo", Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, fixed.status());
            assertEquals("{\"a\":1}", new String(fixed.body(), StandardCharsets.UTF_8));
            assertEquals("application/json", fixed.header("X-Seen-Type"));
            byte[] big = new byte[100_000];
            MiniHttp.Response chunked = http.post("/v1/echo", Map.of("X-Chunked", "1"), big);
            assertEquals(100_000, chunked.body().length);
        } finally {
            server.stop(0);
        }
    }

    /**
     * A cosign node that dies behind the gateway closes the relayed connection before answering: that
     * is an I/O failure the transport retries on a fresh connection, and once retries are spent the
     * terminal hears COSIGN-400 (the co-signing service, not the gateway, is down: docs/drills.md C4).
     */
    @Test
    void aConnectionClosedBeforeTheAnswerIsAnIoFailureAndCosignSaysCosign400() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            pool.submit(() -> {
                while (!ss.isClosed()) {
                    try (Socket c = ss.accept()) {
                        accepted.incrementAndGet();
                        // The request arrives, the answer never does. Half-close and drain instead of
                        // closing with unread input: that would reset the connection (RST), and the
                        // client would see "Broken pipe" or "Connection reset" depending on timing.
                        c.getInputStream().readNBytes(10);
                        c.shutdownOutput();
                        c.getInputStream().readAllBytes();
                    }
                }
                return null;
            });
            CosignTransport reconnecting = (path, json) -> {
                for (int attempt = 1; ; attempt++) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                        s.setSoTimeout(10_000);
                        return new MiniHttp(s.getInputStream(), s.getOutputStream(), "gw").post(path, Map.of(), json);
                    } catch (IOException e) {
                        if (attempt == 2) {
                            throw e;
                        }
                    }
                }
            };
            assertThrows(java.io.EOFException.class, () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                    new MiniHttp(s.getInputStream(), s.getOutputStream(), "gw").post("/v1/login", Map.of(), new byte[] {'{', '}'});
                }
            });
            SdkException e = assertThrows(SdkException.class,
                    () -> new CosignClient(reconnecting).login("alice", "pw".toCharArray(), "pc-1"));
            assertEquals("COSIGN-400", e.errorCode().code(), e.getMessage());
            assertEquals(3, accepted.get(), "one plain read, then the login and its one retry");
        }
    }

    @Test
    void malformedResponsesGiveNet401() throws Exception {
        String[] answers = {
                "SSH-2.0-OpenSSH_9.2\r\n",
                "HTTP/1.1 abc OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: " + "a".repeat(MiniHttp.MAX_HEAD) + "\r\n\r\n",
        };
        for (String answer : answers) {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                pool.submit(() -> {
                    try (Socket c = ss.accept()) {
                        c.getInputStream().readNBytes(10);
                        c.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        c.shutdownOutput();
                        c.getInputStream().readAllBytes();
                    }
                    return null;
                });
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                    s.setSoTimeout(10_000);
                    MiniHttp http = new MiniHttp(s.getInputStream(), s.getOutputStream(), "gw");
                    SdkException e = assertThrows(SdkException.class, () -> http.post("/v1/x", Map.of(), new byte[0]),
                            answer.substring(0, Math.min(30, answer.length())));
                    assertEquals(SdkErrors.BAD_HTTP, e.errorCode());
                }
            }
        }
    }
}
