package io.gmgate.gateway.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13Engine;
import io.gmgate.tlcp.tls13.Tls13ServerConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/**
 * The channel tests' loopback: a PKI with a server ("localhost") and a client certificate, a TLS 1.3
 * SM server engine requiring client certificates, and a Vert.x server on a free port of 127.0.0.1.
 */
final class Tls13Loopback implements AutoCloseable {

    static final SecureRandom RANDOM = new SecureRandom();

    final TestPki pki;
    final TestPki.Credential server;
    final TestPki.Credential client;
    final Vertx vertx = Vertx.vertx();
    private final Tls13ServerConfig config;
    private int port;

    Tls13Loopback(String pkiName) {
        pki = TestPki.create(pkiName);
        server = pki.issueSign("localhost");
        client = pki.issueSign("8001234");
        config = new Tls13ServerConfig(creds(server), List.of(pki.rootCertificate()), Tls13ServerConfig.ClientAuth.REQUIRED,
                Clock.systemUTC(), RANDOM);
    }

    /** A fresh server engine for one connection. */
    ChannelEngine serverEngine() {
        return ChannelEngine.tls13(Tls13Engine.server("gw-test", config));
    }

    /** Listens on a free port; {@code connections} gets each accepted socket on its event loop. */
    Tls13Loopback listen(Handler<NetSocket> connections) throws Exception {
        port = vertx.createNetServer().connectHandler(connections).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        return this;
    }

    /** A client of this PKI, with {@code cred}'s certificate or none. */
    Tls13ClientConfig clientConfig(TestPki.Credential cred) {
        return new Tls13ClientConfig(List.of(pki.rootCertificate()), cred == null ? null : creds(cred), "localhost",
                Clock.systemUTC(), RANDOM);
    }

    /** A terminal: the TLS 1.3 engine over {@code raw}, connected to the server, handshake done. */
    EngineSocket<Tls13Engine> handshake(Socket raw, Tls13ClientConfig clientConfig) throws IOException {
        try {
            raw.setSoTimeout(15_000);
            return EngineSocket.over(raw, Tls13Engine.client("test-client", clientConfig)).handshake();
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    EngineSocket<Tls13Engine> connect(Tls13ClientConfig clientConfig) throws IOException {
        return handshake(new Socket(InetAddress.getLoopbackAddress(), port), clientConfig);
    }

    int port() {
        return port;
    }

    static Tls13Credentials creds(TestPki.Credential c) {
        return new Tls13Credentials(List.of(c.certificate()), Sm2SignKey.of(c.key()));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
