package io.gmgate.cosign;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * Stateless nodes (design §10, docs/drills.md C4): two cosign nodes — two Vert.x instances on their own
 * ports — over one database. Terminals enrol and sign in a burst on node 0; node 0 is closed in the
 * middle; every terminal retries what it had in flight on node 1 with the same idempotency keys and a
 * fresh nonce. Afterwards every device holds exactly one sign and one encryption key, each account
 * exactly one certificate, and every signature verifies.
 */
class TwoNodeFailoverTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    static final int TERMINALS = 8;
    static final int SIGNATURES = 12;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 2, s -> s.withIdempotencyLease(Duration.ofSeconds(2)));
        for (int i = 0; i < TERMINALS; i++) {
            cluster.trader("t" + i, "password-" + i);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** One terminal's run; any call lost to the dying node is sent again, unchanged, to the other one. */
    private static final class Run {
        final Terminal t;
        final AtomicInteger progress;
        final List<String> messages = new ArrayList<>();
        final List<Sm2Signature> signatures = new ArrayList<>();
        int failovers;

        Run(Terminal t, AtomicInteger progress) {
            this.t = t;
            this.progress = progress;
        }

        Api.Response retrying(Supplier<Api.Response> call) {
            for (int attempt = 0; attempt < 40; attempt++) {
                Api.Response r;
                try {
                    r = call.get();
                } catch (UncheckedIOException lost) {
                    failover();
                    continue;
                }
                if (r.status() == 503 && t.port == cluster.port(0)) {
                    failover(); // a node shutting down answers 503 (its workers were interrupted): go elsewhere
                    continue;
                }
                if ("COSIGN-131".equals(r.body().getString("code")) || r.status() == 503) {
                    sleep(r.body().getInteger("retryAfterSeconds", 1));
                    continue;
                }
                progress.incrementAndGet();
                return r;
            }
            throw new AssertionError(t.account + ": no answer after 40 attempts");
        }

        void failover() {
            failovers++;
            t.port = cluster.port(1);
            t.refreshNonce();
        }

        void run() {
            Api.Response login = retrying(() -> t.login("password-" + t.account.substring(1)));
            assertEquals(200, login.status(), login::toString);
            String keysKey = UUID.randomUUID().toString();
            Api.Response keys = retrying(() -> t.enrolKeys(keysKey));
            assertEquals(200, keys.status(), keys::toString);
            String certKey = UUID.randomUUID().toString();
            String enrolment = keys.body().getString("enrolmentId");
            byte[][] csr = new byte[1][];
            Api.Response cert = retrying(() -> {
                if (csr[0] == null) {
                    try {
                        csr[0] = t.csr(); // co-signs: the dying node may refuse that too
                    } catch (Terminal.Refused refused) {
                        return refused.response; // retried only if it says so (503, COSIGN-131), else it fails below
                    }
                }
                return t.call("enrol/certificate", new JsonObject().put("idempotencyKey", certKey).put("enrolmentId", enrolment)
                        .put("csr", Terminal.b64(csr[0])));
            });
            assertEquals(200, cert.status(), cert::toString);
            t.certificates = cert.body().getJsonObject("certificates");
            for (int i = 0; i < SIGNATURES; i++) {
                String m = t.account + " order " + i;
                Sm2Signature[] sig = new Sm2Signature[1];
                Api.Response signed = retrying(() -> {
                    try {
                        sig[0] = t.sign(m);
                    } catch (Terminal.Refused refused) {
                        return refused.response;
                    }
                    return new Api.Response(200, new JsonObject(), null);
                });
                assertEquals(200, signed.status(), signed::toString);
                messages.add(m);
                signatures.add(sig[0]);
            }
            retrying(t::confirmNow);
        }
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aNodeClosedMidBurstLosesNothingAndDuplicatesNothing() throws Exception {
        AtomicInteger progress = new AtomicInteger();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < TERMINALS; i++) {
            runs.add(new Run(cluster.terminal("t" + i, "dev-" + i, 0), progress));
        }
        ExecutorService pool = Executors.newFixedThreadPool(TERMINALS);
        List<Future<?>> done = new ArrayList<>();
        for (Run r : runs) {
            done.add(pool.submit(r::run));
        }
        // close node 0 once the burst is under way: some terminals are enrolling, some signing
        await("the burst is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> progress.get() >= TERMINALS * 3);
        cluster.kill(0);
        for (Future<?> f : done) {
            f.get(180, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int failovers = runs.stream().mapToInt(r -> r.failovers).sum();
        System.out.println("failovers after node 0 closed: " + failovers + " (progress at close: " + TERMINALS * 3 + "+ calls)");
        assertTrue(runs.stream().allMatch(r -> r.t.port == cluster.port(1)), "every terminal ended on node 1");
        Jdbc db = CosignJdbc.of(cluster.dataSource, "test");
        for (Run r : runs) {
            String a = r.t.account;
            long live = db.one("live keys", "SELECT count(*) FROM ks_keys WHERE account = ? AND state <> 'DESTROYED'",
                    rs -> rs.getLong(1), a).orElseThrow();
            long certs = db.one("certificates", "SELECT count(*) FROM ca_certificates WHERE account = ? AND kind = 'SIGN'",
                    rs -> rs.getLong(1), a).orElseThrow();
            long certified = db.one("enrolments", "SELECT count(*) FROM cosign_enrolments WHERE account = ? AND state = 'CERTIFIED'",
                    rs -> rs.getLong(1), a).orElseThrow();
            assertEquals(2, live, a + ": one sign and one encryption key, no duplicates");
            assertEquals(1, certs, a + ": one certificate");
            assertEquals(1, certified, a + ": one finished enrolment");
            var key = GmPem.publicKey(GmPem.certificateFromDer(Terminal.unb64(r.t.certificates.getString("sign"))));
            assertEquals(SIGNATURES, r.signatures.size());
            for (int i = 0; i < SIGNATURES; i++) {
                assertTrue(Sm2Signer.verify(key, r.messages.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        r.signatures.get(i)), a + " signature " + i);
            }
        }
        long logged = db.one("operation log", "SELECT count(*) FROM cosign_operation_log WHERE operation = 'SIGN'",
                rs -> rs.getLong(1)).orElseThrow();
        assertTrue(logged >= (long) TERMINALS * (SIGNATURES + 1), "every co-signature answered was audited, got " + logged);
    }
}
