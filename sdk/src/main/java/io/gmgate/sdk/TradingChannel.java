package io.gmgate.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import io.gmgate.tlcp.io.TlcpSocket;

/**
 * A connection to the trading front by whichever path the access policy allowed and worked. On
 * {@link TradingPath#ONE_WAY} and {@link TradingPath#PLAIN} the gateway does not know the trader:
 * the terminal logs in to the counter in-band, as it did before GM.
 */
public final class TradingChannel implements AutoCloseable {

    private final TradingPath path;
    private final String remote;
    private final TlcpSocket secure;
    private final Socket plain;

    private TradingChannel(TradingPath path, TlcpSocket secure, Socket plain) {
        this.path = path;
        this.remote = String.valueOf((secure != null ? secure.socket() : plain).getRemoteSocketAddress());
        this.secure = secure;
        this.plain = plain;
    }

    /** A GM channel already open: two-way, one-way, or the one-way enrolment channel. */
    public static TradingChannel secure(TradingPath path, TlcpSocket socket) {
        return new TradingChannel(path, socket, null);
    }

    public static TradingChannel plain(Socket socket) {
        return new TradingChannel(TradingPath.PLAIN, null, socket);
    }

    public TradingPath path() {
        return path;
    }

    /** The address connected to, for logs and status. */
    public String remote() {
        return remote;
    }

    public InputStream input() throws IOException {
        return secure != null ? secure.getInputStream() : plain.getInputStream();
    }

    public OutputStream output() throws IOException {
        return secure != null ? secure.getOutputStream() : plain.getOutputStream();
    }

    /** The TCP socket underneath (timeouts, addresses). */
    public Socket socket() {
        return secure != null ? secure.socket() : plain;
    }

    /** The TLCP socket on the GM paths (suite, session), empty on the plain path. */
    public java.util.Optional<TlcpSocket> tlcp() {
        return java.util.Optional.ofNullable(secure);
    }

    @Override
    public void close() throws IOException {
        if (secure != null) {
            secure.close();
        } else {
            plain.close();
        }
    }

    @Override
    public String toString() {
        return path + " to " + remote + (secure == null ? "" : " " + secure.engine().suite()
                + (secure.engine().resumed() ? " (resumed)" : ""));
    }
}
