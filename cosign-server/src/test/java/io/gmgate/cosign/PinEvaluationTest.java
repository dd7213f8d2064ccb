package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.PinOprf;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * /v1/pin/evaluate (design §11's OPRF over the PIN): each evaluation is a counted PIN try, refused
 * after the limit; the rounds it enables are not counted twice; bad points are refused; and the
 * stored enrolment answer no longer carries P2.
 */
class PinEvaluationTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static final byte[] CONTEXT = "ctx".getBytes(StandardCharsets.UTF_8);

    static Api.Response evaluate(Terminal t, PinOprf.Blinded b) {
        return t.call("pin/evaluate", new JsonObject().put("blinded", Terminal.b64(Sm2Curve.encodePoint(b.request()))));
    }

    private static Terminal enrolled(String account) {
        cluster.trader(account, account + "-password-1");
        Terminal t = cluster.terminal(account, "laptop", 0);
        t.login(account + "-password-1");
        t.enrol();
        return t;
    }

    @Test
    void everyEvaluationCountsAndTheLimitLocksIt() {
        Terminal t = enrolled("lena");
        BigInteger first = null;
        for (int i = 1; i <= 6; i++) {
            PinOprf.Blinded b = PinOprf.blind("111111".toCharArray(), CONTEXT);
            Api.Response r = evaluate(t, b);
            assertEquals(200, r.status(), r::toString);
            assertEquals(6 - i, r.body().getInteger("pinTriesLeft"));
            BigInteger m = b.finish(Sm2Curve.decodePoint(Terminal.unb64(r.body().getString("evaluated"))), "sign")[0];
            if (first != null) {
                assertEquals(first, m, "the same PIN gives the same mask through any blinding");
            }
            first = m;
        }
        Api.Response locked = evaluate(t, PinOprf.blind("111111".toCharArray(), CONTEXT));
        assertEquals(423, locked.status(), locked::toString);
        assertEquals("COSIGN-141", locked.code());
        assertFalse(locked.body().containsKey("evaluated"));
    }

    @Test
    void aRoundAfterAnEvaluationIsTheSameTryAndItsConfirmationForgivesBoth() {
        Terminal t = enrolled("mona");
        Api.Response e = evaluate(t, PinOprf.blind("222222".toCharArray(), CONTEXT));
        assertEquals(5, e.body().getInteger("pinTriesLeft"));
        Api.Response round = t.ok("sign", new JsonObject().put("keyId", t.signKeyId).put("request",
                Terminal.b64(ClientSigning.start(PinLockoutTest.wrongPin(t.signShare), BigInteger.TEN).request().toBytes())));
        assertEquals(5, round.body().getInteger("pinTriesLeft"), "one mistyped PIN is one try, not two");
        t.sign("the right share");
        JsonObject confirmed = t.confirmNow().body();
        assertEquals(6, confirmed.getInteger("pinTriesLeft"));
        assertTrue(confirmed.getBoolean("pinProven"));
    }

    @Test
    void pointsOffTheCurveAndDevicesWithoutKeysAreRefused() {
        Terminal t = enrolled("nina");
        byte[] bad = Sm2Curve.encodePoint(Sm2Curve.G);
        bad[64] ^= 1;
        Api.Response r = t.call("pin/evaluate", new JsonObject().put("blinded", Terminal.b64(bad)));
        assertEquals(400, r.status(), r::toString);
        assertEquals("COSIGN-104", r.code());
        assertEquals(6, t.status().getInteger("pinTriesLeft"), "a refused point is not a try");

        cluster.trader("olga", "olga-password-1");
        Terminal fresh = cluster.terminal("olga", "laptop", 0);
        fresh.login("olga-password-1");
        assertEquals("COSIGN-140", evaluate(fresh, PinOprf.blind("1".toCharArray(), CONTEXT)).code());
    }

    @Test
    void theStoredEnrolmentAnswerHoldsNoP2AndIsRebuiltOnlyForTheEnrollingSession() {
        cluster.trader("paul", "paul-password-1");
        Terminal t = cluster.terminal("paul", "laptop", 0);
        t.login("paul-password-1");
        String key = UUID.randomUUID().toString();
        Api.Response first = t.enrolKeys(key);
        assertEquals(200, first.status(), first::toString);
        String p2 = io.gmgate.crypto.twoparty.KeyGenResponse.fromBytes(Terminal.unb64(first.body().getJsonObject("sign").getString("response")))
                .p2().toString();
        String stored = io.gmgate.cosign.pg.CosignJdbc.of(cluster.dataSource, "test").one("read", "SELECT response FROM cosign_idempotency "
                + "WHERE account = ? AND idem_key = ?", rs -> rs.getString(1), "paul", key).orElseThrow();
        assertFalse(stored.contains("response"), "no KeyGenResponse in the stored row: " + stored);
        Api.Response retry = t.call("enrol/keys", new JsonObject().put("idempotencyKey", key)
                .put("sign", Terminal.b64(lastRequest(t, "sign"))).put("enc", Terminal.b64(lastRequest(t, "enc"))));
        assertEquals(200, retry.status(), retry::toString);
        assertEquals(first.body().getString("enrolmentId"), retry.body().getString("enrolmentId"));
        assertEquals(p2, io.gmgate.crypto.twoparty.KeyGenResponse.fromBytes(Terminal.unb64(retry.body().getJsonObject("sign")
                .getString("response"))).p2().toString(), "the same keys, rebuilt");
        assertNotEquals(null, retry.body().getJsonObject("enc").getString("response"));

        Terminal other = cluster.terminal("paul", "laptop", 0);
        other.login("paul-password-1");
        Api.Response foreign = other.call("enrol/keys", new JsonObject().put("idempotencyKey", key)
                .put("sign", Terminal.b64(lastRequest(t, "sign"))).put("enc", Terminal.b64(lastRequest(t, "enc"))));
        assertEquals("COSIGN-149", foreign.code(), "another session never gets P2 replayed: " + foreign);
    }

    private static byte[] lastRequest(Terminal t, String which) {
        return which.equals("sign") ? t.lastSignRequest : t.lastEncRequest;
    }
}
