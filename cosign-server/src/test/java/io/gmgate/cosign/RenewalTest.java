package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Online renewal (docs/ca-client.md, "Renewal"): the window from 90 days before expiry to 90 days after, expiry warnings at
 * login, and the renewal code that finishes a renewal the CA failed mid-way without a second certificate.
 */
class RenewalTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    /** The embedded CA's default leaves live five years. */
    static final Duration LIFE = Duration.ofDays(5 * 365);

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void rewind() {
        cluster.clock.reset();
        cluster.ca.down = false;
    }

    private Terminal enrolled(String account) {
        cluster.trader(account, account + "-password-1");
        Terminal t = cluster.terminal(account, "pc-1", 0);
        t.login(account + "-password-1");
        t.enrol();
        return t;
    }

    private static void relogin(Terminal t) {
        assertEquals(200, t.login(t.account + "-password-1").status());
    }

    private Api.Response renewStart(Terminal t) {
        return t.call("renew/start", new JsonObject().put("keyId", t.signKeyId));
    }

    private long pairsOf(String account) {
        return CosignJdbc.of(cluster.dataSource, "test").one("count", "SELECT count(*) FROM ca_certificates WHERE account = ? AND kind = 'SIGN'",
                rs -> rs.getLong(1), account).orElseThrow();
    }

    @Test
    void renewalInsideTheWindowCertifiesTheSameKeysAgain() {
        Terminal t = enrolled("lily");
        Instant firstNotAfter = Instant.parse(t.certificates.getString("notAfter"));
        cluster.clock.advance(LIFE.minusDays(30));
        relogin(t);
        JsonArray warnings = t.lastLogin.getJsonArray("warnings");
        assertEquals("COSIGN-160", warnings.getJsonObject(0).getString("code"));
        long daysLeft = warnings.getJsonObject(0).getLong("daysLeft");
        assertTrue(daysLeft >= 29 && daysLeft <= 30, "about 30 days left, was " + daysLeft);

        JsonObject started = t.ok("renew/start", new JsonObject().put("keyId", t.signKeyId)).body();
        String code = started.getString("renewalCode");
        Api.Response second = renewStart(t);
        assertEquals(409, second.status(), second::toString);
        assertEquals("CA-110", second.code(), "one open renewal per certificate: the code shown first finishes it");
        JsonObject renewed = t.ok("renew/finish", new JsonObject().put("renewalCode", code).put("csr", Terminal.b64(t.csr()))).body();
        JsonObject certs = renewed.getJsonObject("certificates");
        assertNotEquals(t.certificates.getString("signSerial"), certs.getString("signSerial"));
        assertTrue(Instant.parse(certs.getString("notAfter")).isAfter(firstNotAfter));
        assertEquals(t.signShare.jointKey(), io.gmgate.crypto.GmPem.publicKey(io.gmgate.crypto.GmPem.certificateFromDer(
                Terminal.unb64(certs.getString("sign")))), "renewal re-certifies the same joint key");
        JsonObject status = t.status();
        assertEquals(certs.getString("signSerial"), status.getJsonObject("certificates").getString("signSerial"));
        assertEquals(0, status.getJsonArray("warnings").size());
        assertTrue(t.sign("after renewal") != null);
    }

    @Test
    void renewalOutsideTheWindowIsRefusedWithReEnrolment() {
        Terminal t = enrolled("mona");
        Api.Response early = renewStart(t);
        assertEquals(409, early.status(), early::toString);
        assertEquals("CA-103", early.code());

        cluster.clock.advance(LIFE.plusDays(100));
        relogin(t);
        assertEquals("COSIGN-162", t.lastLogin.getJsonArray("warnings").getJsonObject(0).getString("code"));
        Api.Response late = renewStart(t);
        assertEquals(409, late.status(), late::toString);
        assertEquals("CA-103", late.code());
    }

    @Test
    void expiredButInsideTheWindowIsStillRenewable() {
        Terminal t = enrolled("nina");
        cluster.clock.advance(LIFE.plusDays(10));
        relogin(t);
        assertEquals("COSIGN-161", t.lastLogin.getJsonArray("warnings").getJsonObject(0).getString("code"));
        assertEquals(200, renewStart(t).status());
    }

    @Test
    void aRenewalCodeFinishesARenewalTheCaFailedWithoutASecondCertificate() {
        Terminal t = enrolled("olga");
        cluster.clock.advance(LIFE.minusDays(10));
        relogin(t);
        String code = t.ok("renew/start", new JsonObject().put("keyId", t.signKeyId)).body().getString("renewalCode");
        byte[] csr = t.csr();

        cluster.ca.down = true;
        Api.Response failed = t.call("renew/finish", new JsonObject().put("renewalCode", code).put("csr", Terminal.b64(csr)));
        assertEquals(503, failed.status(), failed::toString);
        assertEquals("CA-100", failed.code());
        assertTrue(failed.body().getInteger("retryAfterSeconds") > 0);
        relogin(t);
        assertTrue(t.lastLogin.getJsonArray("warnings").stream().anyMatch(w -> "COSIGN-163".equals(((JsonObject) w).getString("code"))),
                "login reminds of the unfinished renewal");

        cluster.ca.down = false;
        // a later session resumes with the stored renewal code and a freshly co-signed request
        JsonObject done = t.ok("renew/finish", new JsonObject().put("renewalCode", code).put("csr", Terminal.b64(t.csr()))).body();
        JsonObject again = t.ok("renew/finish", new JsonObject().put("renewalCode", code).put("csr", Terminal.b64(csr))).body();
        assertEquals(done.getJsonObject("certificates").getString("signSerial"),
                again.getJsonObject("certificates").getString("signSerial"), "a repeated finish returns the same certificate");
        assertEquals(2, pairsOf("olga"), "one enrolment and one renewal: two sign certificates, never three");
    }
}
