package io.gmgate.tlcp.tls13;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Drives a {@link Tls13Engine} over a blocking socket for tests: flush what the engine has, read
 * what the peer sent, feed it, until a goal is met. Bounded by the socket timeout and a read count.
 */
final class EngineOverSocket {

    private static final int MAX_READS = 10_000;

    private final Tls13Engine engine;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16_709];

    EngineOverSocket(Tls13Engine engine, Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        this.engine = engine;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void handshake() throws IOException {
        flush();
        for (int reads = 0; !engine.isHandshakeComplete(); reads++) {
            readOnce(reads);
        }
        flush();
    }

    void write(byte[] data) throws IOException {
        engine.write(data);
        flush();
    }

    /** Reads until exactly n application bytes arrived. */
    byte[] readApplication(int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream(n);
        for (int reads = 0; got.size() < n; reads++) {
            if (engine.readable() == 0) {
                readOnce(reads);
            }
            got.writeBytes(engine.read());
        }
        return got.toByteArray();
    }

    /** Echoes application bytes until the peer closes; returns how many were echoed. */
    long echoUntilClosed() throws IOException {
        long echoed = 0;
        for (int reads = 0; !engine.isClosed(); reads++) {
            // Application data may have come in with the peer's Finished: use it before reading more.
            if (engine.readable() == 0 && !readOnce(reads)) {
                break;
            }
            byte[] data = engine.read();
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

    /** One socket read fed to the engine; false at end of stream. Output is flushed even on failure. */
    private boolean readOnce(int reads) throws IOException {
        if (reads > MAX_READS) {
            throw new IOException(engine + " made no progress after " + MAX_READS + " reads");
        }
        int n = in.read(buf);
        if (n < 0) {
            if (!engine.isClosed()) {
                throw new IOException(engine + ": peer closed the connection");
            }
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
