package io.gmgate.app.drills;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.SdkException;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.sdk.policy.TerminalPolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * A trading terminal of a drill: a thread that sends numbered orders one after another and counts
 * one as done only when the front's acknowledgement comes back. An order without an answer (its
 * node died) is sent again, with the same id, on the next connection. How it connects follows the
 * signed access policy the firm publishes (design §5), re-read before every order, through the SDK's
 * {@code GmgateClient.openTrading}: NORMAL two-way TLCP with the co-signed key, ONE_WAY two-way if
 * co-signing is available and one-way otherwise, BYPASS plain TCP to the policy's emergency addresses.
 */
final class Terminal implements AutoCloseable {

    /** One acknowledged order: its id, the account the front named, how it travelled, when. */
    record Ack(String orderId, String account, String path, long atNanos) {
    }


    final String name;
    private final String account;
    private volatile Optional<GmgateClient.Session> session;
    private volatile Supplier<GmgateClient.Session> relogin;
    private volatile int fullHandshakeEvery;
    private final List<Ack> connects = new CopyOnWriteArrayList<>();
    private final LocalStore store;
    private final Sm2PublicKey policyKey;
    private final Supplier<byte[]> publishedPolicy;
    private final List<X509CertificateHolder> roots;
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String stoppedBy;
    private byte[] policyBytes;
    private AccessPolicy policy;
    private AutoCloseable connection;
    private BufferedReader in;
    private OutputStream out;
    private String path;

    Terminal(String name, String account, Optional<GmgateClient.Session> session, LocalStore store, Sm2PublicKey policyKey,
             Supplier<byte[]> publishedPolicy, List<X509CertificateHolder> roots) {
        this.name = name;
        this.account = account;
        this.session = session;
        this.store = store;
        this.policyKey = policyKey;
        this.publishedPolicy = publishedPolicy;
        this.roots = List.copyOf(roots);
        this.thread = new Thread(this::run, "terminal-" + name);
        thread.setDaemon(true);
    }

    /**
     * Makes the terminal drop its connection every {@code orders} orders and reconnect with a full
     * (co-signed) handshake, not a resumed one: the drills on co-signing need that path busy.
     */
    Terminal fullHandshakeEvery(int orders) {
        this.fullHandshakeEvery = orders;
        return this;
    }

    /** The terminal has enrolled meanwhile: from now on it can go two-way with this session. */
    void useSession(GmgateClient.Session enrolled) {
        session = Optional.of(enrolled);
    }

    /** How the terminal logs in again (password and PIN, as a trader would) when its cosign session is gone. */
    Terminal reloginWith(Supplier<GmgateClient.Session> login) {
        this.relogin = login;
        return this;
    }

    /** Every connection opened: path and time (the order id field is empty). */
    List<Ack> connects() {
        return List.copyOf(connects);
    }

    /** Waits (bounded) until {@code n} connections by {@code path} were opened after {@code sinceNanos}. */
    void awaitConnects(long sinceNanos, int n, Duration within, String path) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (connects.stream().filter(a -> a.atNanos() > sinceNanos && a.path().equals(path)).count() < n) {
            if (stoppedBy != null || System.nanoTime() > deadline) {
                throw new AssertionError(name + ": fewer than " + n + " " + path + " connections within " + within
                        + (stoppedBy == null ? "" : "; stopped: " + stoppedBy) + "; failures " + failures());
            }
            Thread.sleep(20);
        }
    }

    /** Milliseconds from {@code eventNanos} to the first connection opened after it by {@code path}. */
    long connectedMillis(long eventNanos, String path) {
        return connects.stream().filter(a -> a.atNanos() > eventNanos && a.path().equals(path)).findFirst()
                .map(a -> TimeUnit.NANOSECONDS.toMillis(a.atNanos() - eventNanos))
                .orElseThrow(() -> new AssertionError(name + " opened no " + path + " connection after the event"));
    }

    Terminal start() {
        refreshPolicy();
        thread.start();
        return this;
    }

    /** The SDK session this terminal trades two-way with (it may be replaced by a new login). */
    GmgateClient.Session session() {
        return session.orElseThrow(() -> new IllegalStateException(name + " holds no certificate"));
    }

    /** The account the front must name for this terminal's two-way orders. */
    String account() {
        return account;
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Failures seen while connecting or trading, by error code (or exception type when uncoded). */
    Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    Optional<String> stoppedBy() {
        return Optional.ofNullable(stoppedBy);
    }

    /** Waits (bounded) until {@code n} orders were acknowledged after {@code sinceNanos}, by a path in {@code paths}. */
    void awaitAcks(long sinceNanos, int n, Duration within, String... paths) throws InterruptedException {
        List<String> wanted = Arrays.asList(paths);
        long deadline = System.nanoTime() + within.toNanos();
        while (countSince(sinceNanos, wanted) < n) {
            if (stoppedBy != null) {
                throw new AssertionError(name + " stopped: " + stoppedBy + "; failures " + failures());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": " + countSince(sinceNanos, wanted) + " of " + n + " orders acknowledged by "
                        + wanted + " within " + within + "; last path " + path + ", failures " + failures()
                        + "; first of each: " + failureSamples());
            }
            Thread.sleep(20);
        }
    }

    private long countSince(long sinceNanos, List<String> paths) {
        return acks.stream().filter(a -> a.atNanos() > sinceNanos && (paths.isEmpty() || paths.contains(a.path()))).count();
    }

    /**
     * The real interruption this terminal saw: the longest stretch without any acknowledged order
     * from {@code eventNanos} until now (an order in flight on a path about to change still counts).
     */
    long longestGapMillis(long eventNanos) {
        long last = eventNanos;
        long gap = 0;
        for (Ack a : acks) {
            if (a.atNanos() > eventNanos) {
                gap = Math.max(gap, a.atNanos() - last);
                last = a.atNanos();
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(gap);
    }

    /** Milliseconds from {@code eventNanos} to this terminal's first order acknowledged after it by {@code path}. */
    long recoveredMillis(long eventNanos, String path) {
        return acks.stream().filter(a -> a.atNanos() > eventNanos && a.path().equals(path)).findFirst()
                .map(a -> TimeUnit.NANOSECONDS.toMillis(a.atNanos() - eventNanos))
                .orElseThrow(() -> new AssertionError(name + " has no order acknowledged after the event"));
    }

    private void run() {
        try {
            for (int seq = 1; running && seq <= 100_000; seq++) {
                String id = name + "-" + seq;
                if (!sendUntilAcked(id)) {
                    return;
                }
                if (fullHandshakeEvery > 0 && seq % fullHandshakeEvery == 0) {
                    disconnect();
                    session.ifPresent(GmgateClient.Session::forgetSession);
                }
                Thread.sleep(25);
            }
        } catch (InterruptedException e) {
            stoppedBy = "interrupted";
        } finally {
            disconnect();
        }
    }

    /** Sends one order until acknowledged, reconnecting as the policy says; gives up only when stopped or after 120 s. */
    private boolean sendUntilAcked(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (running) {
            if (System.nanoTime() > deadline) {
                stoppedBy = "order " + id + " not acknowledged within 120 s";
                return false;
            }
            try {
                if (refreshPolicy() || connection == null) {
                    disconnect();
                    connect();
                }
                out.write(("ORDER " + id + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = in.readLine();
                if (answer == null) {
                    throw new IOException("connection closed before the acknowledgement");
                }
                String[] parts = answer.split(" ");
                if (parts.length != 3 || !parts[0].equals("ACK") || !parts[2].equals(id)) {
                    throw new AssertionError(name + ": answer '" + answer + "' to order " + id);
                }
                acks.add(new Ack(id, parts[1], path, System.nanoTime()));
                return true;
            } catch (IOException | RuntimeException e) {
                failed(e);
                disconnect();
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** Re-reads the published policy; true if a newer one was accepted (the path may change). */
    private boolean refreshPolicy() {
        byte[] now = publishedPolicy.get();
        if (policyBytes != null && Arrays.equals(now, policyBytes)) {
            return false;
        }
        policy = TerminalPolicy.accept(store, policyKey, now, Clock.systemUTC(), Duration.ofSeconds(30));
        policyBytes = now;
        return true;
    }

    /** The SDK picks the path the accepted policy allows (GmgateClient.openTrading); this terminal only says how it goes two-way. */
    private void connect() throws IOException {
        GmgateClient client = new GmgateClient(new GmgateClient.Options(policy.enrolment(), policy.trading(), roots,
                store.directory(), Duration.ofSeconds(3), Duration.ofSeconds(10), GmgateClient.DEFAULT_PIN_ITERATIONS,
                Optional.of(policy)));
        TradingChannel channel = client.openTrading(this::twoWay);
        channel.socket().setSoTimeout(15_000);
        use(channel, channel.input(), channel.output(), switch (channel.path()) {
            case TWO_WAY -> "two-way";
            case ONE_WAY -> "one-way";
            case PLAIN -> "plain";
        });
    }

    private TlcpSocket twoWay() {
        GmgateClient.Session s = session.orElseThrow(() -> new SdkException(SdkErrors.NOT_ENROLLED, name + " holds no certificate"));
        try {
            return s.connect();
        } catch (RuntimeException e) {
            if (relogin != null && code(e).contains("COSIGN-1")) {
                failed(e);
                session = Optional.of(relogin.get()); // a new cosign session; the next attempt uses it
            }
            throw e;
        }
    }

    private void use(AutoCloseable c, InputStream input, OutputStream output, String how) {
        connection = c;
        in = new BufferedReader(new InputStreamReader(input, StandardCharsets.US_ASCII));
        out = output;
        path = how;
        connects.add(new Ack("", "", how, System.nanoTime()));
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // the connection is already broken
            }
        }
        connection = null;
    }

    private void failed(Throwable e) {
        String code = code(e);
        failures.merge(code, 1, Integer::sum);
        samples.computeIfAbsent(code, c -> chain(e));
    }

    /** The first failure seen for each code, as its cause chain (for the report). */
    Map<String, String> failureSamples() {
        return Map.copyOf(samples);
    }

    static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e; c != null && b.length() < 600; c = c.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return b.toString();
    }

    /** The codes along the cause chain, outermost first ("NET-400<TLS-112<COSIGN-400"), or the exception type if none. */
    static String code(Throwable e) {
        StringBuilder codes = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof GmgateException g && codes.indexOf(g.errorCode().code()) < 0) {
                codes.append(codes.length() == 0 ? "" : "<").append(g.errorCode().code());
            }
        }
        return codes.length() == 0 ? e.getClass().getSimpleName() : codes.toString();
    }

    /** Stops after the order in flight (bounded) and closes the connection. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
