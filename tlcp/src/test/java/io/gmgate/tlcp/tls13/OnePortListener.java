package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.EngineSockets;
import io.gmgate.tlcp.tls13.ProtocolSniffer.Kind;
import io.gmgate.tlcp.tls13.ProtocolSniffer.Verdict;

/**
 * A test listener that serves TLCP, TLS 1.3 and plain TCP on one loopback port, routed by
 * {@link ProtocolSniffer}: TLS goes to our {@link Tls13Engine} (echo), TLCP is passed to a TLCP
 * backend port (a real TLCP server), plain is echoed with a "plain:" prefix. It shows the sniffer
 * and the engine compose on a real socket, whatever sizes the first bytes arrive in.
 */
final class OnePortListener implements AutoCloseable {

    private final ServerSocket listener;
    private final Tls13ServerConfig tls13;
    private final int tlcpBackendPort;
    private final List<Kind> verdicts = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.Semaphore finished = new java.util.concurrent.Semaphore(0);

    OnePortListener(Tls13ServerConfig tls13, int tlcpBackendPort) throws IOException {
        this.tls13 = tls13;
        this.tlcpBackendPort = tlcpBackendPort;
        this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "one-port");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    List<Kind> verdicts() {
        return List.copyOf(verdicts);
    }

    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "one-port-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(15_000);
            InputStream in = s.getInputStream();
            byte[] first = new byte[0];
            Verdict v = ProtocolSniffer.sniff(first);
            // At most one record (5 + 2^14 bytes) is ever read before deciding.
            while (v.kind() == Kind.NEED_MORE) {
                int have = first.length;
                first = Arrays.copyOf(first, v.needed());
                int n = in.read(first, have, first.length - have);
                if (n < 0) {
                    return;
                }
                first = Arrays.copyOf(first, have + n);
                v = ProtocolSniffer.sniff(first);
            }
            verdicts.add(v.kind());
            switch (v.kind()) {
                case TLS13, TLS_OTHER -> serveTls13(s, first);
                case TLCP -> passTo(tlcpBackendPort, s, first);
                default -> echoPlain(s, first);
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        } finally {
            finished.release();
        }
    }

    /** Waits (at most 15 s) until n connections have ended on the server side. */
    boolean awaitFinished(int n) throws InterruptedException {
        return finished.tryAcquire(n, 15, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void serveTls13(Socket s, byte[] first) throws IOException {
        Tls13Engine engine = Tls13Engine.server("one-port", tls13);
        try {
            engine.feed(first);
        } finally {
            // The ServerHello flight, or the alert when the first record was refused.
            s.getOutputStream().write(engine.takeOutput());
        }
        EngineSockets.echoUntilClosed(EngineSocket.over(s, engine).handshake());
    }

    private static void echoPlain(Socket s, byte[] first) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("plain:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(first);
        // The sniffer decided on the first byte; the rest of the stream follows it unchanged.
        s.getInputStream().transferTo(out);
        out.flush();
        s.shutdownOutput();
    }

    private static void passTo(int port, Socket client, byte[] first) throws IOException {
        try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), port)) {
            backend.setSoTimeout(15_000);
            backend.getOutputStream().write(first);
            Thread up = new Thread(() -> copy(client, backend), "one-port-up");
            up.setDaemon(true);
            up.start();
            copy(backend, client);
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                to.getOutputStream().write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side ended.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
