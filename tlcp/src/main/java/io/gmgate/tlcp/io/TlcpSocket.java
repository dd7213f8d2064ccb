package io.gmgate.tlcp.io;

import java.io.IOException;
import java.net.Socket;

import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;

/** A {@link TlcpEngine} over a blocking {@link Socket}; see {@link EngineSocket}. */
public final class TlcpSocket extends EngineSocket<TlcpEngine> {

    private TlcpSocket(Socket socket, TlcpEngine engine) throws IOException {
        super(socket, engine);
    }

    public static TlcpSocket client(Socket socket, TlcpClientConfig config) throws IOException {
        return new TlcpSocket(socket, TlcpEngine.client("client→" + socket.getRemoteSocketAddress(), config));
    }

    public static TlcpSocket server(Socket socket, TlcpServerConfig config) throws IOException {
        return new TlcpSocket(socket, TlcpEngine.server("server←" + socket.getRemoteSocketAddress(), config));
    }

    /** Declared again so code built against the TLCP-only TlcpSocket still links (no bridge is made otherwise). */
    @Override
    public TlcpEngine engine() {
        return super.engine();
    }

    /** Runs the handshake to the end; throws the engine's {@code TlcpException} or an I/O error. */
    @Override
    public TlcpSocket handshake() throws IOException {
        super.handshake();
        return this;
    }
}
