package io.gmgate.perf.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LoginListener;

/**
 * Enrolment of {@link LoginStorm}'s terminals, the set-up before the clock starts: each terminal
 * enrols through the SDK as a real one does (its own two-party sign and encryption keys, its own
 * double certificate from the site CA, its PIN-masked shares in its own store), then opens its
 * cosign session (password, PIN through the OPRF), which it keeps for co-signing its logins.
 * Several terminals enrol at once; each must succeed (retryable failures are tried again), or the
 * run stops.
 */
final class StormTerminals {

    static final char[] PIN = "123456".toCharArray();

    /** An enrolled terminal: its account and its logged-in SDK session. */
    record Terminal(String account, GmgateClient.Session session) {
    }

    private StormTerminals() {
    }

    static List<String> accounts(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(String.format("77%06d", i));
        }
        return out;
    }

    static List<Terminal> enrol(StormSite site, List<String> accounts, int threads, LoginListener listener, Consumer<String> progress)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        int step = Math.max(1, accounts.size() / 10);
        try {
            List<Future<Terminal>> fs = new ArrayList<>();
            for (String account : accounts) {
                fs.add(pool.submit(() -> {
                    Terminal t = enrolOne(site, account, listener);
                    int n = done.incrementAndGet();
                    if (n % step == 0 || n == accounts.size()) {
                        progress.accept(String.format("%5.1f s  %d of %d terminals enrolled", (System.nanoTime() - t0) / 1e9, n,
                                accounts.size()));
                    }
                    return t;
                }));
            }
            List<Terminal> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10) + accounts.size() * TimeUnit.SECONDS.toNanos(2);
            for (Future<Terminal> f : fs) {
                out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Up to three tries, each as a new device with its own store, if one fails for a reason worth
     * retrying (a cold or overloaded node timing out): set-up is not what is measured.
     */
    private static Terminal enrolOne(StormSite site, String account, LoginListener listener) {
        for (int attempt = 1; ; attempt++) {
            try {
                return enrolAs(site, account, "storm-" + attempt, listener);
            } catch (io.gmgate.error.GmgateException e) {
                if (attempt == 3 || !e.errorCode().retryable()) {
                    throw e;
                }
            }
        }
    }

    private static Terminal enrolAs(StormSite site, String account, String device, LoginListener listener) {
        char[] password = StormSite.PASSWORD.toCharArray();
        Path store = site.dir.resolve("terminals").resolve(account + "-" + device);
        GmgateClient c = new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("storm", "127.0.0.1", site.enrolmentPort)),
                List.of(new Endpoint("storm", "127.0.0.1", site.tradingPort)), List.of(site.root), store, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1_000)).observe(listener);
        c.enroll(account, password, device, PIN);
        return new Terminal(account, c.login(password, PIN));
    }
}
