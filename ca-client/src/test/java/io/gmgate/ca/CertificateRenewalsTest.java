package io.gmgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
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
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

/** The renewal window, renewal codes and expiry notices against the embedded CA, with a clock the test moves. */
class CertificateRenewalsTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
    static final byte[] SECRET = "renewal test line".getBytes(StandardCharsets.UTF_8);

    static MutableClock clock = new MutableClock(T0);
    static SoftCipherCard card;
    static EmbeddedCa ca;
    static PgCaStore store;
    static PgRenewals renewals;
    static CertificateRenewals desk;

    @BeforeAll
    static void setUp() {
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        store = new PgCaStore(PG.dataSource());
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, store, clock);
        renewals = new PgRenewals(PG.dataSource());
        desk = new CertificateRenewals(ca, RenewalPolicy.defaults(), renewals, clock);
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    record Enrolled(Sm2SignKey key, IssuedCertificates certs) {
        Instant notAfter() {
            return certs.sign().getNotAfter().toInstant();
        }
    }

    static Enrolled enrol(String account) {
        clock.set(T0);
        Sm2SignKey key = Sm2SignKey.of(Sm2PrivateKey.generate());
        return new Enrolled(key, ca.issue(IssueRequest.of(account, "dev1", TestCsrs.csr(key, account), null)));
    }

    static IssueRequest renewalRequest(String account, Sm2SignKey key) {
        return IssueRequest.of(account, "dev1", TestCsrs.csr(key, account), null);
    }

    @Test
    void theWindowRunsFrom90DaysBeforeTo90DaysAfterExpiry() {
        Enrolled alice = enrol("alice");
        BigInteger serial = alice.certs().signSerial();
        record Case(Duration fromExpiry, boolean open) {
        }
        for (Case c : List.of(new Case(Duration.ofDays(-91), false), new Case(Duration.ofDays(-90), true),
                new Case(Duration.ofDays(-1), true), new Case(Duration.ofDays(89), true), new Case(Duration.ofDays(90), true),
                new Case(Duration.ofDays(90).plusSeconds(1), false), new Case(Duration.ofDays(400), false))) {
            Instant now = alice.notAfter().plus(c.fromExpiry());
            assertEquals(c.open(), desk.policy().inWindow(alice.notAfter(), now), c.toString());
        }

        clock.set(alice.notAfter().minus(Duration.ofDays(120)));
        CaException early = assertThrows(CaException.class, () -> desk.start("alice", serial));
        assertEquals(CaErrors.OUTSIDE_RENEWAL_WINDOW, early.errorCode());
        assertTrue(early.getMessage().contains("expires in 120 days"), early.getMessage());

        clock.set(alice.notAfter().plus(Duration.ofDays(91)));
        CaException late = assertThrows(CaException.class, () -> desk.start("alice", serial));
        assertEquals(CaErrors.OUTSIDE_RENEWAL_WINDOW, late.errorCode());
        assertTrue(late.getMessage().contains("re-enrol"), late.getMessage());

        clock.set(alice.notAfter().plus(Duration.ofDays(30)));
        CertificateRenewals.Started started = desk.start("alice", serial);
        assertTrue(started.code().matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){4}"), started.code());
        assertFalse(started.toString().contains(started.code()), "the code never reaches a log line");
        IssuedCertificates renewed = desk.complete("alice", started.code().toLowerCase(java.util.Locale.ROOT),
                renewalRequest("alice", alice.key()));
        assertEquals(serial, store.bySerial(renewed.signSerial()).orElseThrow().replaces());
        assertTrue(renewed.sign().getNotAfter().toInstant().isAfter(alice.notAfter()));
    }

    @Test
    void expiryNoticesSayHowManyDays() {
        RenewalPolicy p = RenewalPolicy.defaults();
        Instant expiry = T0.plus(Duration.ofDays(1000));
        assertTrue(p.notice(expiry, expiry.minus(Duration.ofDays(31))).isEmpty());
        assertEquals("certificate expires in 30 days; renew online now", p.notice(expiry, expiry.minus(Duration.ofDays(30))).orElseThrow().text());
        assertEquals("certificate expires in 1 day; renew online now", p.notice(expiry, expiry.minus(Duration.ofHours(3))).orElseThrow().text());
        assertEquals(RenewalPolicy.ExpiryNotice.Kind.EXPIRED_RENEWABLE, p.notice(expiry, expiry.plus(Duration.ofDays(10))).orElseThrow().kind());
        assertEquals("certificate expired 10 days ago; renew online within 80 days",
                p.notice(expiry, expiry.plus(Duration.ofDays(10))).orElseThrow().text());
        assertEquals(RenewalPolicy.ExpiryNotice.Kind.EXPIRED_REENROL, p.notice(expiry, expiry.plus(Duration.ofDays(91))).orElseThrow().kind());
        assertFalse(p.autoRenewDue(expiry, expiry.minus(Duration.ofDays(10))));
        assertTrue(p.withAutoRenew(true).autoRenewDue(expiry, expiry.minus(Duration.ofDays(10))));
        assertFalse(p.withAutoRenew(true).autoRenewDue(expiry, expiry.minus(Duration.ofDays(100))));

        Enrolled bob = enrol("bob");
        clock.set(bob.notAfter().minus(Duration.ofDays(12)));
        assertEquals(12, desk.notice(bob.certs().signSerial()).orElseThrow().days());
    }

    /** The CA's answer is lost after it issued: the renewal fails, and the same code later yields the same pair. */
    @Test
    void aRenewalWhoseAnswerWasLostResumesWithoutASecondCertificate() {
        Enrolled carol = enrol("carol");
        clock.set(carol.notAfter().minus(Duration.ofDays(10)));
        CertificateAuthority losesAnswerOnce = new CertificateAuthority() {
            private boolean lost;

            @Override
            public String name() {
                return ca.name();
            }

            @Override
            public IssuedCertificates issue(IssueRequest request) {
                return ca.issue(request);
            }

            @Override
            public IssuedCertificates renew(BigInteger old, IssueRequest request) {
                IssuedCertificates issued = ca.renew(old, request);
                if (!lost) {
                    lost = true;
                    throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA test] connection reset after the CA issued");
                }
                return issued;
            }

            @Override
            public void revoke(BigInteger serial, RevocationReason reason) {
                ca.revoke(serial, reason);
            }

            @Override
            public CertificateStatus status(BigInteger serial) {
                return ca.status(serial);
            }
        };
        CertificateRenewals flaky = new CertificateRenewals(losesAnswerOnce, RenewalPolicy.defaults(), renewals, clock);
        CertificateRenewals.Started started = flaky.start("carol", carol.certs().signSerial());
        Sm2SignKey newKey = Sm2SignKey.of(Sm2PrivateKey.generate());

        CaException lost = assertThrows(CaException.class, () -> flaky.complete("carol", started.code(), renewalRequest("carol", newKey)));
        assertEquals(CaErrors.CA_UNAVAILABLE, lost.errorCode());
        assertEquals(4, store.byAccount("carol").size(), "the CA did issue the new pair");
        assertEquals(1, renewals.byCode(RenewalCode.hash(started.code())).orElseThrow().attempts());

        IssuedCertificates resumed = flaky.complete("carol", started.code(), renewalRequest("carol", newKey));
        assertEquals(4, store.byAccount("carol").size(), "resuming issued nothing new");
        assertEquals(newKey.publicKey(), GmPem.publicKey(resumed.sign()));
        IssuedCertificates again = flaky.complete("carol", started.code(), renewalRequest("carol", newKey));
        assertEquals(resumed.signSerial(), again.signSerial());

        CaException otherKey = assertThrows(CaException.class, () -> flaky.complete("carol", started.code(),
                renewalRequest("carol", Sm2SignKey.of(Sm2PrivateKey.generate()))));
        assertEquals(CaErrors.REQUEST_REJECTED, otherKey.errorCode());
        CaException twice = assertThrows(CaException.class, () -> flaky.start("carol", carol.certs().signSerial()));
        assertEquals(CaErrors.ALREADY_RENEWED, twice.errorCode());
    }

    /** The CA is down (nothing listens on its CMP port) after the code was given; once it is back, the code completes. */
    @Test
    void aRenewalStartedBeforeTheCaWentDownCompletesWhenItIsBack() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CmpCaConfig line = CmpCaConfig.of("ca-line", URI.create("http://127.0.0.1:" + port + "/cmp"),
                ca.issuingCertificate().getSubject(), CmpProtection.Mac.sm3("gmgate", SECRET));
        PgServedCertificates records = new PgServedCertificates(PG.dataSource());
        try (FailoverCertificateAuthority failover = new FailoverCertificateAuthority("cas",
                List.of(CmpCertificateAuthority.overHttp(line, Clock.systemUTC())),
                FailoverSettings.defaults().withClock(clock).withRetry(1, Duration.ZERO).withBreaker(10, 10, Duration.ofSeconds(1)),
                records)) {
            CmpServer server = new CmpServer(ca, new CmpServerSettings(List.of(new CmpServerSettings.Client(
                    CmpProtection.Mac.sm3("gmgate", SECRET), true)), false), Clock.systemUTC());
            Sm2SignKey first = Sm2SignKey.of(Sm2PrivateKey.generate());
            IssuedCertificates dave;
            clock.set(T0);
            try (CmpHttpListener up = CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "/cmp")) {
                dave = failover.issue(IssueRequest.of("dave", "dev1", TestCsrs.csr(first, "dave"), null));
            }
            CertificateRenewals overCmp = new CertificateRenewals(failover, RenewalPolicy.defaults(), renewals, clock);
            clock.set(dave.sign().getNotAfter().toInstant().minus(Duration.ofDays(5)));
            CertificateRenewals.Started started = overCmp.start("dave", dave.signSerial());
            int rows = store.byAccount("gmgate").size();

            Sm2SignKey next = Sm2SignKey.of(Sm2PrivateKey.generate());
            CaException down = assertThrows(CaException.class, () -> overCmp.complete("dave", started.code(), renewalRequest("dave", next)));
            assertEquals(CaErrors.ALL_CAS_DOWN, down.errorCode());
            assertTrue(renewals.byCode(RenewalCode.hash(started.code())).orElseThrow().lastError().startsWith("CA-101"));

            try (CmpHttpListener back = CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "/cmp")) {
                IssuedCertificates renewed = overCmp.complete("dave", started.code(), renewalRequest("dave", next));
                assertEquals(next.publicKey(), GmPem.publicKey(renewed.sign()));
                assertNotEquals(dave.signSerial(), renewed.signSerial());
                assertEquals(rows + 2, store.byAccount("gmgate").size(), "exactly one new double certificate");
                assertEquals(dave.signSerial(), records.byRequest("renewal:" + RenewalCode.hash(started.code())).orElseThrow().replaces());
            }
        }
    }

    @Test
    void codesAreBoundToTheirAccountAndExpire() {
        Enrolled erin = enrol("erin");
        clock.set(erin.notAfter().minus(Duration.ofDays(1)));
        CaException notHers = assertThrows(CaException.class, () -> desk.start("mallory", erin.certs().signSerial()));
        assertEquals(CaErrors.UNKNOWN_CERTIFICATE, notHers.errorCode());
        CertificateRenewals.Started started = desk.start("erin", erin.certs().signSerial());
        CaException busy = assertThrows(CaException.class, () -> desk.start("erin", erin.certs().signSerial()));
        assertEquals(CaErrors.RENEWAL_IN_PROGRESS, busy.errorCode());

        CaException stranger = assertThrows(CaException.class,
                () -> desk.complete("mallory", started.code(), renewalRequest("mallory", erin.key())));
        assertEquals(CaErrors.UNKNOWN_RENEWAL_CODE, stranger.errorCode());
        CaException unknown = assertThrows(CaException.class,
                () -> desk.complete("erin", "AAAA-BBBB-CCCC-DDDD-EEEE", renewalRequest("erin", erin.key())));
        assertEquals(CaErrors.UNKNOWN_RENEWAL_CODE, unknown.errorCode());

        clock.advance(RenewalPolicy.defaults().codeValidity());
        CaException expired = assertThrows(CaException.class,
                () -> desk.complete("erin", started.code(), renewalRequest("erin", erin.key())));
        assertEquals(CaErrors.UNKNOWN_RENEWAL_CODE, expired.errorCode());
        CertificateRenewals.Started fresh = desk.start("erin", erin.certs().signSerial());
        assertNotEquals(started.code(), fresh.code());
        desk.complete("erin", fresh.code(), renewalRequest("erin", erin.key()));
    }
}
