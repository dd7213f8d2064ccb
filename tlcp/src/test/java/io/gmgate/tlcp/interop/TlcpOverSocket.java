package io.gmgate.tlcp.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import io.gmgate.tlcp.TlcpEngine;

/**
 * Drives a {@link TlcpEngine} over a blocking socket for interop tests: flush what the engine has,
 * read what the peer sent, feed it, until a goal is met. Bounded by the socket timeout and a read
 * count; end of stream is reported to the engine.
 */
final class TlcpOverSocket {

    private static final int MAX_READS = 10_000;

    private final TlcpEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16_709];
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    TlcpOverSocket(TlcpEngine engine, Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        this.engine = engine;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void handshake() throws IOException {
        flush();
        for (int reads = 0; !engine.isHandshakeComplete(); reads++) {
            if (!readOnce(reads)) {
                throw new IOException(engine + ": peer closed during the handshake");
            }
        }
        flush();
    }

    void write(byte[] data) throws IOException {
        engine.write(data);
        flush();
    }

    /** Reads until exactly n application bytes arrived. */
    byte[] readApplication(int n) throws IOException {
        for (int reads = 0; pending.size() < n; reads++) {
            pending.writeBytes(engine.read());
            if (pending.size() < n && !readOnce(reads)) {
                throw new IOException(engine + ": peer closed after " + pending.size() + " of " + n + " bytes");
            }
            pending.writeBytes(engine.read());
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, n, all.length - n);
        return java.util.Arrays.copyOf(all, n);
    }

    /** Echoes application bytes until the peer closes; returns how many were echoed. */
    long echoUntilClosed() throws IOException {
        long echoed = 0;
        for (int reads = 0; !engine.isClosed(); reads++) {
            byte[] data = engine.read();
            if (data.length == 0) {
                if (!readOnce(reads)) {
                    break;
                }
                data = engine.read();
            }
            if (data.length > 0 && !engine.isClosed()) {
                engine.write(data);
                echoed += data.length;
            }
            flush();
        }
        flush();
        return echoed;
    }

    void close() throws IOException {
        engine.close();
        flush();
    }

    private boolean readOnce(int reads) throws IOException {
        if (reads > MAX_READS) {
            throw new IOException(engine + " made no progress after " + MAX_READS + " reads");
        }
        int n = in.read(buf);
        if (n < 0) {
            engine.endOfInput();
            return false;
        }
        try {
            engine.feed(buf, 0, n);
        } finally {
            flush();
        }
        return true;
    }

    private void flush() throws IOException {
        byte[] o = engine.takeOutput();
        if (o.length > 0) {
            out.write(o);
            out.flush();
        }
    }
}
