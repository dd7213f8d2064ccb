package io.gmgate.tlcp.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * A sans-IO engine (TLCP or TLS 1.3) over a blocking {@link Socket}, for the SDK, the agent, the CLI
 * and tests: the handshake runs in {@link #handshake()}, then plaintext flows through the streams.
 * Key operations run inline (a co-signing terminal makes its round trip from inside the handshake).
 * One reader thread and one writer thread may use the streams at the same time. {@link TlcpSocket}
 * is the TLCP one.
 */
public class EngineSocket<E extends SansIoEngine> implements AutoCloseable {

    private final Socket socket;
    private final E engine;
    private final InputStream netIn;
    private final OutputStream netOut;
    /** Guards the engine. Never held across network I/O. */
    private final Object lock = new Object();
    /** Orders bytes onto the wire: output is taken from the engine and written under this lock. */
    private final Object wire = new Object();
    private final byte[] buffer = new byte[17 * 1024];
    private byte[] pending = new byte[0];
    private int pendingOffset;

    protected EngineSocket(Socket socket, E engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.netIn = socket.getInputStream();
        this.netOut = socket.getOutputStream();
    }

    /** Drives an engine the caller made and has not started feeding (output it already holds is sent first). */
    public static <E extends SansIoEngine> EngineSocket<E> over(Socket socket, E engine) throws IOException {
        return new EngineSocket<>(socket, engine);
    }

    /** Runs the handshake to the end; throws the engine's exception or an I/O error. */
    public EngineSocket<E> handshake() throws IOException {
        flush();
        while (!engine.isHandshakeComplete()) {
            int n = netIn.read(buffer);
            if (n < 0) {
                synchronized (lock) {
                    engine.endOfInput();
                }
                throw new IOException("connection closed during the handshake (" + engine + ")");
            }
            try {
                synchronized (lock) {
                    engine.feed(buffer, 0, n);
                }
            } finally {
                flushQuietly();
            }
        }
        flush();
        return this;
    }

    public E engine() {
        return engine;
    }

    public Socket socket() {
        return socket;
    }

    private void flush() throws IOException {
        synchronized (wire) {
            byte[] out;
            synchronized (lock) {
                out = engine.takeOutput();
            }
            if (out.length > 0) {
                netOut.write(out);
                netOut.flush();
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException ignored) {
            // the alert could not be sent; the failure being thrown is what matters
        }
    }

    public InputStream getInputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pendingOffset == pending.length) {
                    boolean closed;
                    synchronized (lock) {
                        pending = engine.read();
                        pendingOffset = 0;
                        closed = engine.isClosed();
                    }
                    if (pending.length > 0) {
                        break;
                    }
                    if (closed) {
                        flushQuietly(); // our close_notify answer
                        return -1;
                    }
                    int n = netIn.read(buffer);
                    boolean answer;
                    try {
                        synchronized (lock) {
                            if (n < 0) {
                                engine.endOfInput();
                                return -1;
                            }
                            engine.feed(buffer, 0, n);
                        }
                    } finally {
                        synchronized (lock) {
                            answer = engine.hasOutput();
                        }
                        if (answer) {
                            flushQuietly(); // an alert or close_notify: only then compete with the writer
                        }
                    }
                }
                int k = Math.min(len, pending.length - pendingOffset);
                System.arraycopy(pending, pendingOffset, b, off, k);
                pendingOffset += k;
                return k;
            }
        };
    }

    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (wire) {
                    synchronized (lock) {
                        if (engine.isClosed()) {
                            // like a socket after the peer hung up: an I/O failure callers already retry, not TLS-110
                            throw new java.net.SocketException("connection closed (close_notify or alert): " + engine);
                        }
                        engine.write(Arrays.copyOfRange(b, off, off + len));
                    }
                    EngineSocket.this.flush(); // not OutputStream.flush(), which does nothing
                }
            }
        };
    }

    /** Sends close_notify and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (lock) {
                if (!engine.isClosed()) {
                    engine.close();
                }
            }
            flushQuietly();
        } finally {
            socket.close();
        }
    }
}
