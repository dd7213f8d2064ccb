package io.gmgate.perf.tlcp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;

/**
 * Server CPU per TLCP handshake and per byte, counted the way a server process's CPU is counted
 * (the goal in docs/perf-tlcp.md: ≤ 0.35 ms per full ECC handshake without client authentication): client and
 * server engines talk in memory in one thread, and only the thread CPU time spent inside the
 * server engine's calls (creation, feed, takeOutput, read, write) is summed.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.tlcp.TlcpServerCpu [handshakes] [megabytes]</pre>
 */
public final class TlcpServerCpu {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private long serverNanos;

    private TlcpServerCpu() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        PerfPki pki = new PerfPki();
        System.out.printf(Locale.ROOT, "%-20s %-22s %10s %12s%n", "suite", "case", "server ms", "per core/s");
        report("(floor)", "SM2 sign + decrypt", new TlcpServerCpu().floor(n));
        String only = System.getProperty("tlcp.profile"); // one case only, for a profiler: NONE or REQUIRED
        if (only != null) {
            ClientAuth auth = ClientAuth.valueOf(only);
            report(CipherSuite.ECC_SM4_CBC_SM3, "full, client auth " + auth,
                    new TlcpServerCpu().full(pki, CipherSuite.ECC_SM4_CBC_SM3, auth, auth != ClientAuth.NONE, n));
            return;
        }
        for (CipherSuite suite : CipherSuite.values()) {
            if (!suite.ecdhe) {
                report(suite, "full, no client auth", new TlcpServerCpu().full(pki, suite, ClientAuth.NONE, false, n));
            }
            report(suite, "full, client auth", new TlcpServerCpu().full(pki, suite, ClientAuth.REQUIRED, true, n));
            report(suite, "resumed", new TlcpServerCpu().resumed(pki, suite, n));
        }
        System.out.printf(Locale.ROOT, "%n%-20s %14s %14s%n", "suite", "server rx MB/s", "server tx MB/s");
        for (CipherSuite suite : new CipherSuite[] {CipherSuite.ECC_SM4_CBC_SM3, CipherSuite.ECC_SM4_GCM_SM3}) {
            double[] mbs = new TlcpServerCpu().bulk(pki, suite, megabytes);
            System.out.printf(Locale.ROOT, "%-20s %14.1f %14.1f%n", suite, mbs[0], mbs[1]);
        }
    }

    /**
     * The key operations alone that a server does in a full ECC handshake without client
     * authentication (one SM2 signature, one SM2 decryption of a 48-byte secret), measured the same
     * way right before: the floor the handshake figures are read against on a loaded machine.
     */
    private double floor(int n) {
        io.gmgate.crypto.Sm2PrivateKey key = io.gmgate.crypto.Sm2PrivateKey.generate();
        byte[] message = new byte[1200];
        for (int pass = 0; pass < 2; pass++) {
            serverNanos = 0;
            for (int i = 0; i < n; i++) {
                io.gmgate.crypto.Sm2Ciphertext ct = io.gmgate.crypto.Sm2Cipher.encrypt(key.publicKey(), new byte[48]);
                timed(() -> io.gmgate.crypto.Sm2Signer.sign(key, message));
                timed(() -> io.gmgate.crypto.Sm2Cipher.decrypt(key, ct));
            }
        }
        return serverNanos / 1e6 / n;
    }

    private static void report(CipherSuite suite, String what, double ms) {
        report(suite.toString(), what, ms);
    }

    private static void report(String suite, String what, double ms) {
        System.out.printf(Locale.ROOT, "%-20s %-22s %10.3f %12.0f%n", suite, what, ms, 1000 / ms);
    }

    /** Mean server milliseconds per full handshake, after as many warm-up handshakes. */
    private double full(PerfPki pki, CipherSuite suite, ClientAuth auth, boolean clientCert, int n) {
        TlcpServerConfig sc = pki.serverConfig(suite, auth);
        TlcpClientConfig cc = pki.clientConfig(suite, clientCert);
        for (int i = 0; i < n; i++) {
            handshake(sc, cc);
        }
        serverNanos = 0;
        for (int i = 0; i < n; i++) {
            handshake(sc, cc);
        }
        return serverNanos / 1e6 / n;
    }

    private double resumed(PerfPki pki, CipherSuite suite, int n) {
        TlcpServerConfig sc = pki.serverConfig(suite, ClientAuth.REQUIRED);
        TlcpClientConfig first = pki.clientConfig(suite, true);
        SessionState session = handshake(sc, first).session().orElseThrow();
        TlcpClientConfig cc = first.resuming(session);
        for (int i = 0; i < n; i++) {
            requireResumed(handshake(sc, cc));
        }
        serverNanos = 0;
        for (int i = 0; i < n; i++) {
            requireResumed(handshake(sc, cc));
        }
        return serverNanos / 1e6 / n;
    }

    private static void requireResumed(TlcpEngine client) {
        if (!client.resumed()) {
            throw new IllegalStateException("the server did not resume the session");
        }
    }

    /** Server-side MB/s (per CPU second) receiving and sending application data in 16 KiB writes. */
    private double[] bulk(PerfPki pki, CipherSuite suite, int megabytes) {
        TlcpServerConfig sc = pki.serverConfig(suite, ClientAuth.NONE);
        TlcpClientConfig cc = pki.clientConfig(suite, false);
        byte[] chunk = new byte[16 * 1024];
        long total = (long) megabytes << 20;
        double[] out = new double[2];
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up
            TlcpEngine server = timed(() -> TlcpEngine.server("perf-server", sc));
            TlcpEngine client = TlcpEngine.client("perf-client", cc);
            converse(client, server);
            serverNanos = 0;
            for (long sent = 0; sent < total; sent += chunk.length) {
                client.write(chunk);
                byte[] wire = client.takeOutput();
                timed(() -> {
                    server.feed(wire);
                    return server.read();
                });
            }
            out[0] = total / 1e6 / (serverNanos / 1e9);
            serverNanos = 0;
            for (long sent = 0; sent < total; sent += chunk.length) {
                byte[] wire = timed(() -> {
                    server.write(chunk);
                    return server.takeOutput();
                });
                client.feed(wire);
                client.read();
            }
            out[1] = total / 1e6 / (serverNanos / 1e9);
        }
        return out;
    }

    private TlcpEngine handshake(TlcpServerConfig sc, TlcpClientConfig cc) {
        TlcpEngine server = timed(() -> TlcpEngine.server("perf-server", sc));
        TlcpEngine client = TlcpEngine.client("perf-client", cc);
        converse(client, server);
        if (!server.isHandshakeComplete() || !client.isHandshakeComplete()) {
            throw new IllegalStateException("handshake did not complete: " + server + " / " + client);
        }
        return client;
    }

    /** Client and server talk until quiet; only the server's calls are timed. Bounded rounds. */
    private void converse(TlcpEngine client, TlcpEngine server) {
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            if (client.hasOutput()) {
                byte[] wire = client.takeOutput();
                timed(() -> {
                    server.feed(wire);
                    return null;
                });
                moved = true;
            }
            byte[] back = timed(server::takeOutput);
            if (back.length > 0) {
                client.feed(back);
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("engines still talking after 20 rounds");
    }

    private <T> T timed(java.util.function.Supplier<T> work) {
        long t0 = CPU.getCurrentThreadCpuTime();
        T r = work.get();
        serverNanos += CPU.getCurrentThreadCpuTime() - t0;
        return r;
    }
}
