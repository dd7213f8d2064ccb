package io.gmgate.attacks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.sdk.policy.LivePolicy;
import io.gmgate.policy.SignedPolicy;

/**
 * A demo site (cosign node serving the published policy, gateway, CA, trading front) plus what the
 * access-policy attacks need around it: the firm's policy key, a way to sign policies, a relay on
 * the terminals' way to the trading listener that a network attacker can make drop connections, and
 * a "plain sink" standing for the emergency address, where anything a terminal sends travels in clear.
 */
final class PolicyAttackSite implements AutoCloseable {

    static final char[] PIN = "481516".toCharArray();

    final DemoSite site;
    final Sm2PrivateKey firm = Sm2PrivateKey.generate();
    final BlockableRelay trading;
    final ServerSocketChannel plainSink;

    PolicyAttackSite() throws IOException {
        site = new DemoSite();
        trading = new BlockableRelay(site.tradingPort());
        plainSink = ServerSocketChannel.open();
        plainSink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        plainSink.configureBlocking(false);
    }

    static char[] password(String account) {
        return ("Policy-Attack-Pw-" + account).toCharArray();
    }

    List<Endpoint> enrolment() {
        return List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort()));
    }

    List<Endpoint> tradingViaRelay() {
        return List.of(new Endpoint("sh", "127.0.0.1", trading.port()));
    }

    List<Endpoint> emergency() {
        return List.of(new Endpoint("sh", "127.0.0.1", plainSink.socket().getLocalPort()));
    }

    /** A policy signed by the firm's key, issued a minute ago and valid for {@code life} from now. */
    byte[] sign(long serial, AccessPolicy.Mode mode, Duration life) {
        Instant now = Instant.now();
        return SignedPolicy.sign(new AccessPolicy(serial, now.minusSeconds(60), now.plus(life), mode, enrolment(), tradingViaRelay(),
                emergency()), Sm2SignKey.of(firm));
    }

    Path store(String account) {
        return site.directory().resolve("policy-attack-" + account);
    }

    GmgateClient.Options options(String account) {
        return new GmgateClient.Options(enrolment(), tradingViaRelay(), List.of(site.root()), store(account), Duration.ofSeconds(1),
                Duration.ofSeconds(3), 10_000);
    }

    /** Enrols {@code account} on its own device store (through the relay's site, unblocked). */
    void enrol(String account) {
        site.addTrader(account, password(account));
        new GmgateClient(options(account)).enroll(account, password(account), "desk", PIN);
    }

    /** The terminal as the app builds it: a live policy over {@code policyFile}, under the firm's key. */
    GmgateClient terminal(String account, Path policyFile) {
        LivePolicy live = new LivePolicy(io.gmgate.sdk.LocalStore.open(store(account)), firm.publicKey(), Optional.of(policyFile),
                Clock.systemUTC(), GmgateClient.POLICY_SKEW);
        return new GmgateClient(options(account), live);
    }

    /** Connections the plain sink received since the last call (it never answers). */
    int plainConnections() throws IOException {
        int n = 0;
        for (SocketChannel c = plainSink.accept(); c != null && n < 1000; c = plainSink.accept()) {
            c.close();
            n++;
        }
        return n;
    }

    ProxyV2Header lastFrontHeader() {
        List<ProxyV2Header> h = site.front().headers();
        return h.get(h.size() - 1);
    }

    @Override
    public void close() throws IOException {
        try {
            trading.close();
            plainSink.close();
        } finally {
            site.close();
        }
    }

    /**
     * The network between terminal and gateway, as an attacker on it sees it: bytes relayed to the
     * trading listener, or — once blocked — every connection dropped before the handshake.
     */
    static final class BlockableRelay implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final Thread acceptor;
        private final AtomicInteger threads = new AtomicInteger();
        volatile boolean blocked;

        BlockableRelay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::acceptLoop, "relay-" + target);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    if (blocked || threads.get() > 64) {
                        in.close();
                        continue;
                    }
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed, or the target refused: the terminal sees its connection drop
                }
            }
        }

        private void pump(Socket from, Socket to) {
            threads.incrementAndGet();
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    for (int n = i.read(buf); n >= 0; n = i.read(buf)) {
                        o.write(buf, 0, n);
                        o.flush();
                    }
                } catch (IOException ended) {
                    // either side closed
                } finally {
                    threads.decrementAndGet();
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static Path write(Path file, byte[] signed) throws IOException {
        return Files.write(file, signed);
    }
}
