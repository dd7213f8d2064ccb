package io.gmgate.gateway.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;

import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Engine;

/** A terminal for tests: a TLS 1.3 engine driven over a plain blocking socket. */
final class BlockingTls13Client implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final Tls13Engine engine;

    BlockingTls13Client(int port, Tls13ClientConfig config) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        engine = Tls13Engine.client("test-client", config);
        flush();
        byte[] buf = new byte[16 * 1024];
        for (int rounds = 0; !engine.isHandshakeComplete() && rounds < 100; rounds++) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("server closed during the handshake");
            }
            engine.feed(Arrays.copyOf(buf, n));
            flush();
        }
    }

    private void flush() throws IOException {
        byte[] o = engine.takeOutput();
        if (o.length > 0) {
            out.write(o);
            out.flush();
        }
    }

    /** The engine is not thread-safe: a sender and a receiver thread take turns under this lock. */
    private final Object lock = new Object();

    void send(byte[] data) throws IOException {
        for (int off = 0; off < data.length; off += 16_000) {
            synchronized (lock) {
                engine.write(Arrays.copyOfRange(data, off, Math.min(data.length, off + 16_000)));
                flush();
            }
        }
    }

    /** Reads exactly n plaintext bytes. */
    byte[] receive(int n) throws IOException {
        byte[] got = new byte[n];
        int have = 0;
        byte[] buf = new byte[32 * 1024];
        while (have < n) {
            byte[] app;
            synchronized (lock) {
                app = engine.read();
            }
            if (app.length > 0) {
                System.arraycopy(app, 0, got, have, app.length);
                have += app.length;
                continue;
            }
            int r = in.read(buf);
            if (r < 0) {
                throw new IOException("closed after " + have + " of " + n + " bytes");
            }
            synchronized (lock) {
                engine.feed(Arrays.copyOf(buf, r));
                flush();
            }
        }
        return got;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
