package io.gmgate.perf.tlcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.gmgate.crypto.GmPem;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;

/**
 * Our TLCP server as its own process on 127.0.0.1, one connection at a time, so that its CPU can be
 * read from /proc exactly as for GmSSL's and Tongsuo's servers (perf/tlcp-cpu.sh): each connection
 * is handshaken, a request (if any) answered, and closed with close_notify.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.tlcp.TlcpLoopbackServer PORT SUITE CA_PEM_OUT [REQUIRED]</pre>
 */
public final class TlcpLoopbackServer {

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Thread CPU spent inside engine calls, to tell the engine's share from the socket's. */
    private static long engineNanos;

    private TlcpLoopbackServer() {
    }

    private static void engine(Runnable call) {
        long t0 = CPU.getCurrentThreadCpuTime();
        call.run();
        engineNanos += CPU.getCurrentThreadCpuTime() - t0;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        CipherSuite suite = CipherSuite.valueOf(args[1]);
        ClientAuth auth = args.length > 3 ? ClientAuth.valueOf(args[3]) : ClientAuth.NONE;
        PerfPki pki = new PerfPki();
        Files.writeString(Path.of(args[2]), GmPem.toPem(pki.root), StandardCharsets.US_ASCII);
        TlcpServerConfig config = pki.serverConfig(suite, auth);
        // A gateway runs warm: let the JIT finish with in-memory handshakes before the count starts.
        int warm = Integer.getInteger("tlcp.warmup", 5000);
        for (int i = 0; i < warm; i++) {
            TlcpEngine c = TlcpEngine.client("warm", pki.clientConfig(suite, auth != ClientAuth.NONE || suite.ecdhe));
            TlcpEngine e = TlcpEngine.server("warm", config);
            PerfPki.pump(c, e);
        }
        System.gc();
        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on 127.0.0.1:" + listener.getLocalPort() + " " + suite + " client auth " + auth);
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long served = 0;
            long thread0 = cpu.getCurrentThreadCpuTime();
            long user0 = cpu.getCurrentThreadUserTime();
            long engine0 = engineNanos;
            long process0 = os.getProcessCpuTime();
            long limit = Long.getLong("tlcp.maxConnections", 1_000_000); // or until the process is killed
            while (served < limit) {
                if (++served % 500 == 0) { // where the CPU goes: this thread vs the whole process (GC, JIT)
                    long t = cpu.getCurrentThreadCpuTime();
                    long u = cpu.getCurrentThreadUserTime();
                    long p = os.getProcessCpuTime();
                    System.out.printf(java.util.Locale.ROOT,
                            "%d connections: serving thread %.3f ms (user %.3f, in the engine %.3f), process %.3f ms CPU per connection%n",
                            served, (t - thread0) / 1e6 / 500, (u - user0) / 1e6 / 500, (engineNanos - engine0) / 1e6 / 500,
                            (p - process0) / 1e6 / 500);
                    engine0 = engineNanos;
                    thread0 = t;
                    user0 = u;
                    process0 = p;
                }
                try (Socket s = listener.accept()) {
                    TlcpEngine[] e = new TlcpEngine[1];
                    engine(() -> e[0] = TlcpEngine.server("perf", config));
                    serve(e[0], s);
                } catch (IOException | TlcpException e) {
                    System.out.println("connection failed: " + e.getMessage());
                }
            }
        }
    }

    private static void serve(TlcpEngine engine, Socket s) throws IOException {
        s.setSoTimeout(5_000);
        s.setTcpNoDelay(true);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16 * 1024];
        boolean answered = false;
        for (int reads = 0; reads < 10_000 && !engine.isClosed(); reads++) {
            if (engine.hasOutput()) {
                out.write(engine.takeOutput());
                out.flush();
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            int got = n;
            engine(() -> engine.feed(buf, 0, got));
            if (engine.read().length > 0 && !answered) {
                engine.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                engine.close();
                answered = true;
            }
        }
        if (!engine.isClosed()) {
            engine.close();
        }
        if (engine.hasOutput()) {
            out.write(engine.takeOutput());
            out.flush();
        }
    }
}
