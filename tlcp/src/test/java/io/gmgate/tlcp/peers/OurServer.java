package io.gmgate.tlcp.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.EngineSockets;

/**
 * Our TLCP server on 127.0.0.1, port 0, for a given number of connections from a native client,
 * one after the other: each completes the handshake, reads an HTTP request (if the client sends
 * one), answers with {@link #BODY} and sends close_notify. One thread, ended by {@link #close}.
 */
final class OurServer implements AutoCloseable {

    static final String BODY = "hello from gmgate";

    /** What happened on the connection: the engine (suite, peer certificates) or what went wrong. */
    record Outcome(TlcpEngine engine, String request, Throwable failure) {
    }

    private final ServerSocket listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tlcp-peer-interop-server");
        t.setDaemon(true);
        return t;
    });
    private final java.util.List<Future<Outcome>> outcomes = new java.util.ArrayList<>();

    private OurServer(TlcpServerConfig config, int connections) throws IOException {
        listener = new ServerSocket(0, connections, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(30_000);
        for (int i = 0; i < connections; i++) {
            outcomes.add(thread.submit(() -> serveOne(config)));
        }
    }

    static OurServer start(TlcpServerConfig config) throws IOException {
        return new OurServer(config, 1);
    }

    /** A server for several connections in a row (resumption), sharing the config's session cache. */
    static OurServer start(TlcpServerConfig config, int connections) throws IOException {
        return new OurServer(config, connections);
    }

    int port() {
        return listener.getLocalPort();
    }

    private Outcome serveOne(TlcpServerConfig config) {
        TlcpEngine engine = TlcpEngine.server("interop-server", config);
        try (Socket s = listener.accept(); EngineSocket<TlcpEngine> conn = EngineSocket.over(s, engine)) {
            s.setSoTimeout(20_000);
            conn.handshake();
            s.setSoTimeout(10_000);
            byte[] request = EngineSockets.readUntil(conn, b -> new String(b, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                    || new String(b, StandardCharsets.ISO_8859_1).contains("\n\n"));
            if (!engine.isClosed()) {
                String response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length()
                        + "\r\n\r\n" + BODY;
                conn.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            }
            return new Outcome(engine, new String(request, StandardCharsets.ISO_8859_1), null);
        } catch (Throwable t) {
            return new Outcome(engine, null, t);
        }
    }

    Outcome await(Duration limit) {
        return await(0, limit);
    }

    /** The outcome of the i-th connection (from 0). */
    Outcome await(int i, Duration limit) {
        try {
            return outcomes.get(i).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new Outcome(null, null, e.getCause());
        } catch (TimeoutException e) {
            return new Outcome(null, null, new AssertionError("our server did not finish within " + limit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, null, e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        outcomes.forEach(o -> o.cancel(true));
        thread.shutdownNow();
    }
}
