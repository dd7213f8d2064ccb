package io.gmgate.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.gmgate.proxy.ProxyV2Header;

/**
 * A trading front for tests: a real blocking TCP server on 127.0.0.1 that reads the PROXY v2
 * header the way a front would, records it, then echoes every byte.
 */
final class EchoFront implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final List<ProxyV2Header> headers = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    EchoFront() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    TradingFront asFront(String name) {
        return new TradingFront(name, "127.0.0.1", port());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            ByteBuffer head = ByteBuffer.allocate(ProxyV2Header.MAX_LENGTH);
            Optional<ProxyV2Header> header = Optional.empty();
            while (header.isEmpty()) {
                int b = in.read();
                if (b < 0) {
                    return; // a health probe: connected and closed
                }
                head.put((byte) b);
                ByteBuffer view = head.duplicate().flip();
                header = ProxyV2Header.parse(view);
            }
            headers.add(header.get());
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof java.net.SocketException)) {
                errors.add(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
