package io.gmgate.sdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.io.TlcpSocket;
import io.gmgate.policy.Endpoint;

/**
 * The cosign API over one-way TLCP to the gateway's enrolment listener (:8090): one keep-alive
 * connection, opened through {@link Failover} on first use and once more if it breaks.
 */
final class TlcpTransport implements CosignTransport, AutoCloseable {

    private final List<Endpoint> endpoints;
    private final java.util.function.Function<Endpoint, TlcpClientConfig> config;
    private final Duration connectTimeout;
    private final Duration overall;
    private TlcpSocket socket;
    private MiniHttp http;
    private Endpoint connectedTo;

    /** config gives the client configuration for one endpoint (the server's identity is checked for its host). */
    TlcpTransport(List<Endpoint> endpoints, java.util.function.Function<Endpoint, TlcpClientConfig> config, Duration connectTimeout,
                  Duration overall) {
        this.endpoints = List.copyOf(endpoints);
        this.config = config;
        this.connectTimeout = connectTimeout;
        this.overall = overall;
    }

    @Override
    public MiniHttp.Response post(String path, byte[] json) throws IOException {
        if (http == null) {
            open();
        }
        try {
            return http.post(path, Map.of(), json);
        } catch (IOException e) {
            close();
            open(); // the node may have gone: the next one answers (requests are idempotent or nonce-checked)
            return http.post(path, Map.of(), json);
        }
    }

    /** Sent now, answered later; an I/O failure either way is retried once on a fresh connection, as {@link #post} does. */
    @Override
    public Pending send(String path, byte[] json) throws IOException {
        if (http == null) {
            open();
        }
        MiniHttp sentOn;
        try {
            http.send(path, Map.of(), json);
            sentOn = http;
        } catch (IOException e) {
            close();
            open();
            return () -> http.post(path, Map.of(), json);
        }
        return () -> {
            if (sentOn != http) {
                throw new java.io.EOFException("cosign channel replaced before the answer to " + path + " was read");
            }
            try {
                return sentOn.read();
            } catch (IOException e) {
                close();
                open();
                return http.post(path, Map.of(), json);
            }
        };
    }

    private void open() {
        socket = Failover.connect(endpoints, connectTimeout, overall, (e, timeout) -> {
            Socket raw = new Socket();
            raw.setTcpNoDelay(true); // records are whole messages: never hold one back for an ACK
            try {
                raw.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                raw.setSoTimeout((int) Math.max(timeout.toMillis(), 10_000));
                TlcpSocket s = TlcpSocket.client(raw, config.apply(e)).handshake();
                connectedTo = e;
                return s;
            } catch (IOException | RuntimeException ex) {
                raw.close();
                throw ex;
            }
        });
        http = new MiniHttp(socket.getInputStream(), socket.getOutputStream(), connectedTo.host());
    }

    Endpoint connectedTo() {
        return connectedTo;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken channel
            }
        }
        socket = null;
        http = null;
    }
}
