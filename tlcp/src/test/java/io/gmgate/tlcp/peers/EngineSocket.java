package io.gmgate.tlcp.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Predicate;

import io.gmgate.tlcp.TlcpEngine;

/**
 * Drives a {@link TlcpEngine} over a blocking socket for the interop tests: every read has a
 * socket timeout and every loop a deadline, so a peer that stalls fails the test instead of hanging it.
 */
final class EngineSocket implements AutoCloseable {

    private final TlcpEngine engine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;

    EngineSocket(TlcpEngine engine, Socket socket) throws IOException {
        this.engine = engine;
        this.socket = socket;
        socket.setSoTimeout(200);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    TlcpEngine engine() {
        return engine;
    }

    void handshake(Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        flush();
        while (!engine.isHandshakeComplete()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("handshake did not finish within " + limit + " (" + engine + ")");
            }
            if (!readOnce()) {
                engine.endOfInput();
                throw new AssertionError("peer closed the connection during the handshake (" + engine + ")");
            }
            flush();
        }
    }

    void write(byte[] data) throws IOException {
        engine.write(data);
        flush();
    }

    /** Reads application data until done says so, the peer closes, or the deadline passes. */
    byte[] readUntil(Predicate<byte[]> done, Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.test(received.toByteArray()) && !engine.isClosed() && System.nanoTime() < end) {
            if (!readOnce()) {
                if (!engine.isClosed()) {
                    engine.endOfInput();
                }
                break;
            }
            flush();
        }
        return received.toByteArray();
    }

    /** One socket read fed to the engine; false at end of stream. A read timeout is not an end. */
    private boolean readOnce() throws IOException {
        if (eof) {
            return false;
        }
        byte[] buf = new byte[16 * 1024];
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            return true;
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        engine.feed(buf, 0, n);
        received.writeBytes(engine.read());
        return true;
    }

    private void flush() throws IOException {
        if (engine.hasOutput()) {
            out.write(engine.takeOutput());
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!engine.isClosed()) {
                engine.close();
            }
            flush();
        } catch (IOException | RuntimeException e) {
            // the peer may already be gone; the socket is closed below either way
        } finally {
            socket.close();
        }
    }
}
