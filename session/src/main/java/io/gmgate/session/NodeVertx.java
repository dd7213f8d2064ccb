package io.gmgate.session;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The Vert.x options every gmgate node starts from. They prefer Netty's native epoll transport
 * (bundled for Linux x86-64): it costs the gateway fewer system calls per connection than NIO,
 * about a tenth of its CPU per handshake (docs/perf-gateway.md). Elsewhere Vert.x falls back to
 * NIO by itself. {@code -Dgmgate.nativeTransport=false} keeps NIO, for an SRE who suspects the
 * transport.
 */
public final class NodeVertx {

    public static final String NATIVE_TRANSPORT = "gmgate.nativeTransport";

    private NodeVertx() {
    }

    public static VertxOptions options() {
        return new VertxOptions().setPreferNativeTransport(!"false".equalsIgnoreCase(System.getProperty(NATIVE_TRANSPORT)));
    }

    /** For the start-up line: which transport runs and, if it is NIO, why. */
    public static String transport(Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            return "epoll";
        }
        Throwable why = vertx.unavailableNativeTransportCause();
        return why == null ? "nio (" + NATIVE_TRANSPORT + "=false)" : "nio (epoll unavailable: " + why.getMessage() + ")";
    }
}
