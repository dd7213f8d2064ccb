package io.gmgate.perf.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.gmgate.crypto.GmPem;
import io.gmgate.perf.tlcp.PerfPki;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * One shard of {@link IdleLoad}'s terminals, in its own process (each connection costs it a
 * descriptor): opens COUNT two-way TLCP connections (ECC_SM4_GCM_SM3, whole-key client certificate)
 * to a gateway node, from loopback source addresses 127.SHARD+2.x.y, and holds them idle. The first
 * handshake is full; the others resume its session unless {@code -Dfull=true}. Writes
 * {@code DIR/NAME.opened} ("count millis failures"), waits for {@code DIR/check}, sends one order
 * line on every connection and reads its acknowledgement, writes {@code DIR/NAME.alive} ("alive
 * dead"), and closes everything when its standard input closes.
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.load.IdleClientMain DIR NAME SHARD GATEWAY_PORT COUNT THREADS</pre>
 */
public final class IdleClientMain {

    private IdleClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        int shard = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        String node = args.length > 6 ? args[6] : "gw" + shard;
        boolean full = Boolean.getBoolean("full");
        TlcpClientConfig base = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), Optional.of(PerfPki.readClient(dir)),
                new X509CertificatePolicy(GmPem.certificatesFromPem(Files.readString(dir.resolve(node + "-root.pem"))),
                        RevocationCheck.NONE, true), Optional.empty(), EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
        TlcpSocket[] held = new TlcpSocket[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<SessionState> session = new AtomicReference<>();
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        List<Thread> openers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    int k = i % 4_000;
                    for (int attempt = 0; attempt < 3 && held[i] == null; attempt++) {
                        try {
                            Socket s = new Socket();
                            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, (byte) (shard + 2), (byte) (k / 250),
                                    (byte) (1 + k % 250)}), 0));
                            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                            s.setSoTimeout(30_000);
                            SessionState resume = session.get();
                            TlcpSocket c = TlcpSocket.client(s, resume == null || full ? base : base.resuming(resume)).handshake();
                            c.engine().session().ifPresent(st -> session.compareAndSet(null, st));
                            held[i] = c;
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            firstError.compareAndSet(null, String.valueOf(e));
                        }
                    }
                }
            }, "open-" + t);
            th.start();
            openers.add(th);
        }
        for (Thread th : openers) {
            th.join();
        }
        int opened = 0;
        for (TlcpSocket c : held) {
            opened += c == null ? 0 : 1;
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s: %d of %d open in %d ms, %d failed attempts%s%n", name, opened, count, millis, failures.get(),
                firstError.get() == null ? "" : " (first: " + firstError.get() + ")");
        Files.writeString(dir.resolve(name + ".opened"), opened + " " + millis + " " + failures.get());
        Path check = dir.resolve("check");
        for (int i = 0; i < 36_000 && !Files.exists(check); i++) { // at most an hour
            Thread.sleep(100);
        }
        int alive = 0;
        byte[] order = "BUY rb2605 1 @ 3500\n".getBytes(StandardCharsets.US_ASCII);
        for (TlcpSocket c : held) {
            if (c != null && exchange(c, order)) {
                alive++;
            }
        }
        System.out.printf("%s: %d alive, %d not%n", name, alive, count - alive);
        Files.writeString(dir.resolve(name + ".alive"), alive + " " + (count - alive));
        while (System.in.read() >= 0) {
            // hold the connections until the parent is done
        }
        for (TlcpSocket c : held) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        System.exit(0);
    }

    /** One order line out, one acknowledgement line back. */
    private static boolean exchange(TlcpSocket c, byte[] order) {
        try {
            c.getOutputStream().write(order);
            c.getOutputStream().flush();
            InputStream in = c.getInputStream();
            for (int i = 0; i < 4096; i++) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                if (b == '\n') {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
