package io.gmgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.cmp.CmpCaConfig;
import io.gmgate.ca.cmp.CmpCertificateAuthority;
import io.gmgate.ca.cmp.CmpHttpListener;
import io.gmgate.ca.cmp.CmpProtection;
import io.gmgate.ca.cmp.CmpServer;
import io.gmgate.ca.cmp.CmpServerSettings;
import io.gmgate.ca.cmp.CmpTransport;
import io.gmgate.ca.cmp.HttpCmpTransport;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgFixture;
import io.gmgate.testkit.PgSchema;
import io.gmgate.ports.ReservedPort;

/**
 * Seed 003 C.3 with real parts: the primary CA is gmgate's embedded CA behind its CMP listener on
 * 127.0.0.1 (dead = nothing listening on its port), the backup another embedded CA in its own schema.
 */
class FailoverCertificateAuthorityTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static final byte[] SECRET = "primary line secret".getBytes(StandardCharsets.UTF_8);

    static SoftCipherCard card;
    static EmbeddedCa primaryCa;
    static EmbeddedCa backup;
    static PgServedCertificates records;
    static String backupSchema;

    @BeforeAll
    static void setUp() {
        CaSchema.migrate(PG.dataSource());
        records = new PgServedCertificates(PG.dataSource());
        card = TestCsrs.card(dir);
        primaryCa = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures").withName("ca-primary"), card,
                new PgCaStore(PG.dataSource()), Clock.systemUTC());
        backupSchema = PgFixture.createSchema("failover_backup");
        DataSource backupDb = PgFixture.dataSource(backupSchema);
        CaSchema.migrate(backupDb);
        EmbeddedCaConfig backupConfig = EmbeddedCaConfig.defaults("Example Futures").withName("ca-backup").withKeyIndexes(111, 112);
        backup = EmbeddedCa.init(backupConfig, card, new PgCaStore(backupDb), Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        card.close();
        PgFixture.dropSchema(backupSchema);
    }

    /** A CA that is down now and may listen on the same address later. */
    static int freePort() {
        return ReservedPort.forThisJvm();
    }

    static CmpHttpListener listen(int port) throws IOException {
        CmpServer server = new CmpServer(primaryCa, new CmpServerSettings(List.of(new CmpServerSettings.Client(
                CmpProtection.Mac.sm3("gmgate", SECRET), true)), false), Clock.systemUTC());
        return CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "/cmp");
    }

    /** The primary over CMP; calls counts every exchange the client attempts. */
    static CmpCertificateAuthority primaryOn(int port, AtomicInteger calls) {
        CmpCaConfig config = CmpCaConfig.of("ca-primary", URI.create("http://127.0.0.1:" + port + "/cmp"),
                primaryCa.issuingCertificate().getSubject(), CmpProtection.Mac.sm3("gmgate", SECRET));
        HttpCmpTransport http = new HttpCmpTransport("ca-primary", config.url(), Duration.ofSeconds(2), Duration.ofSeconds(10));
        CmpTransport counting = request -> {
            calls.incrementAndGet();
            return http.exchange(request);
        };
        return new CmpCertificateAuthority(config, counting, Clock.systemUTC());
    }

    static FailoverSettings settings(Clock clock) {
        return FailoverSettings.defaults().withClock(clock).withRetry(2, Duration.ofMillis(10))
                .withBreaker(2, 2, Duration.ofMinutes(1)).withTimeout(Duration.ofSeconds(5));
    }

    static IssueRequest request(String account) {
        return IssueRequest.of(account, "dev1", TestCsrs.csr(Sm2SignKey.of(Sm2PrivateKey.generate()), account), null);
    }

    @Test
    void aDeadPrimaryIsPassedOverAndTheBackupServesAndIsRecorded() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas",
                List.of(primaryOn(freePort(), calls), backup), settings(Clock.systemUTC()), records)) {
            IssueRequest request = request("alice");
            IssuedCertificates issued = failover.issue(request);
            assertEquals("ca-backup", issued.servedBy());
            assertEquals(2, calls.get(), "two attempts at the dead primary, then the backup");
            PgServedCertificates.Served served = records.byRequest(request.requestId()).orElseThrow();
            assertEquals("ca-backup", served.caName());
            assertEquals(issued.signSerial(), served.signSerial());
            assertEquals(CertificateStatus.State.GOOD, failover.status(issued.encSerial()).state());
            IssuedCertificates again = failover.issue(request);
            assertEquals(issued.signSerial(), again.signSerial(), "a repeated request gets the recorded pair");
        }
    }

    @Test
    void withEveryBreakerOpenIssuingFailsFastAndExistingCertificatesKeepWorking() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        int port = freePort();
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas", List.of(primaryOn(port, calls),
                primaryOnAs("ca-second-vendor", freePort(), calls)), settings(Clock.systemUTC()), records);
             FailoverCertificateAuthority working = new FailoverCertificateAuthority("cas", List.of(backup),
                     settings(Clock.systemUTC()), records)) {
            IssuedCertificates earlier = working.issue(request("bob"));

            CaException first = assertThrows(CaException.class, () -> failover.issue(request("carol")));
            assertEquals(CaErrors.ALL_CAS_DOWN, first.errorCode());
            assertEquals(List.of("ca-primary OPEN", "ca-second-vendor OPEN"), failover.breakers());
            int before = calls.get();

            CaException fast = assertThrows(CaException.class, () -> failover.issue(request("dave")));
            assertEquals(CaErrors.ALL_CAS_DOWN, fast.errorCode());
            assertTrue(fast.getMessage().contains("ca-primary OPEN") && fast.getMessage().contains("ca-second-vendor OPEN"),
                    fast.getMessage());
            assertEquals(before, calls.get(), "open breakers let no request through");

            assertEquals(CertificateStatus.State.GOOD, failover.status(earlier.signSerial()).state(),
                    "status of a served certificate comes from the records while every CA is down");
        }
    }

    static CertificateAuthority primaryOnAs(String name, int port, AtomicInteger calls) {
        CmpCaConfig config = CmpCaConfig.of(name, URI.create("http://127.0.0.1:" + port + "/cmp"),
                primaryCa.issuingCertificate().getSubject(), CmpProtection.Mac.sm3("gmgate", SECRET));
        HttpCmpTransport http = new HttpCmpTransport(name, config.url(), Duration.ofSeconds(2), Duration.ofSeconds(10));
        return new CmpCertificateAuthority(config, request -> {
            calls.incrementAndGet();
            return http.exchange(request);
        }, Clock.systemUTC());
    }

    @Test
    void aPrimaryThatComesBackIsUsedAgainAfterTheWait() throws IOException {
        MutableClock clock = new MutableClock(Instant.now());
        AtomicInteger calls = new AtomicInteger();
        int port = freePort();
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas",
                List.of(primaryOn(port, calls), backup), settings(clock), records)) {
            assertEquals("ca-backup", failover.issue(request("erin")).servedBy());
            assertEquals(List.of("ca-primary OPEN", "ca-backup CLOSED"), failover.breakers());

            try (CmpHttpListener primary = listen(port)) {
                assertEquals("ca-backup", failover.issue(request("frank")).servedBy(), "still within the breaker's wait");
                clock.advance(Duration.ofMinutes(1).plusSeconds(1));
                IssuedCertificates back = failover.issue(request("gina"));
                assertEquals("ca-primary", back.servedBy());
                assertEquals(List.of("ca-primary CLOSED", "ca-backup CLOSED"), failover.breakers());
                assertEquals("gmgate", primaryCa.issued(back.signSerial()).orElseThrow().account());
            }
        }
    }

    @Test
    void aPrimaryThatHangsIsCutOffByTheTimeLimit() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas",
                     List.of(primaryOn(silent.getLocalPort(), new AtomicInteger()), backup),
                     settings(Clock.systemUTC()).withTimeout(Duration.ofSeconds(3)).withRetry(1, Duration.ZERO), records)) {
            // the limit is generous for the backup on a loaded machine; the silent primary never answers at all
            assertEquals("ca-backup", failover.issue(request("hank")).servedBy());
        }
    }

    @Test
    void aRejectionIsNotAFailover() {
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas", List.of(backup, primaryCa),
                settings(Clock.systemUTC()), records)) {
            IssueRequest bad = IssueRequest.of("ivan", "dev1", new byte[] {1, 2, 3}, null);
            CaException e = assertThrows(CaException.class, () -> failover.issue(bad));
            assertEquals(CaErrors.REQUEST_REJECTED, e.errorCode());
            assertEquals(List.of("ca-backup CLOSED", "ca-primary CLOSED"), failover.breakers());
        }
    }

    @Test
    void revocationGoesToTheServingCaAndIntoTheRecords() {
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas", List.of(backup),
                settings(Clock.systemUTC()), records)) {
            IssuedCertificates issued = failover.issue(request("judy"));
            failover.revoke(issued.signSerial(), RevocationReason.KEY_COMPROMISE);
            assertEquals(CertificateStatus.State.REVOKED, backup.status(issued.signSerial()).state());
            assertEquals(CertificateStatus.State.REVOKED, failover.status(issued.encSerial()).state());
            CaException renew = assertThrows(CaException.class, () -> failover.renew(issued.signSerial(), request("judy")));
            assertEquals(CaErrors.CERTIFICATE_REVOKED, renew.errorCode());
        }
    }
}
