package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.PinMaskedShare;
import io.gmgate.crypto.twoparty.Resharing;
import io.gmgate.crypto.twoparty.SignResponse;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * Design §11's failure counter and docs/terminal.md's PIN scenarios: six wrong PINs lock the key, the
 * PIN reset re-checks the identity, proves the share and re-shares, and the old share is dead after.
 */
class PinLockoutTest {

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

    /** The share a wrong PIN unmasks: a valid scalar, the wrong one (PinMaskedShare). */
    static ClientKeyShare wrongPin(ClientKeyShare right) {
        byte[] salt = new byte[16];
        byte[] ctx = "acct\0dev\0sign".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] masked = PinMaskedShare.mask(right, "123456".toCharArray(), salt, 1000, ctx);
        return PinMaskedShare.unmask(masked, right.jointKey(), "654321".toCharArray(), salt, 1000, ctx);
    }

    private static Api.Response attempt(Terminal t, ClientKeyShare share) {
        ClientSigning s = ClientSigning.start(share, BigInteger.valueOf(System.nanoTime()));
        Api.Response r = t.call("sign", new JsonObject().put("keyId", t.signKeyId).put("request", Terminal.b64(s.request().toBytes())));
        if (r.status() == 200) {
            SignResponse resp = SignResponse.fromBytes(Terminal.unb64(r.body().getString("response")));
            GmCryptoException e = assertThrows(GmCryptoException.class, () -> s.finish(resp), "a wrong PIN gives no valid signature");
            assertEquals("COSIGN-004", e.errorCode().code());
        }
        return r;
    }

    @Test
    void sixWrongPinsLockThenResetPinRestoresSigningWithFreshShares() {
        cluster.trader("erin", "erin-password-1");
        Terminal t = cluster.terminal("erin", "laptop", 0);
        t.login("erin-password-1");
        t.enrol();
        ClientKeyShare wrong = wrongPin(t.signShare);

        for (int i = 1; i <= 6; i++) {
            Api.Response r = attempt(t, wrong);
            assertEquals(200, r.status(), r::toString);
            assertEquals(6 - i, r.body().getInteger("pinTriesLeft"));
        }
        Api.Response locked = attempt(t, wrong);
        assertEquals(423, locked.status(), locked::toString);
        assertEquals("COSIGN-141", locked.code());
        JsonObject status = t.status();
        assertEquals(0, status.getInteger("pinTriesLeft"));
        status.getJsonArray("keys").forEach(k -> {
            assertEquals("LOCKED", ((JsonObject) k).getString("state"));
            assertEquals("PIN", ((JsonObject) k).getString("lockReason"));
        });
        Api.Response rightButLocked = t.call("sign", new JsonObject().put("keyId", t.signKeyId).put("request",
                Terminal.b64(ClientSigning.start(t.signShare, BigInteger.ONE).request().toBytes())));
        assertEquals("COSIGN-141", rightButLocked.code(), "the right PIN does not unlock either");

        Api.Response badRecheck = t.call("pin/reset/start", new JsonObject().put("password", "guess"));
        assertEquals(403, badRecheck.status());
        assertEquals("COSIGN-116", badRecheck.code());
        t.ok("pin/reset/start", new JsonObject().put("password", "erin-password-1"));

        t.sign("prove the old share once more");
        Resharing.Offer signOffer = Resharing.offer(t.signShare);
        Resharing.Offer encOffer = Resharing.offer(t.encShare);
        long oldSignKey = t.signKeyId;
        JsonObject reset = t.ok("pin/reset/finish", new JsonObject().put("signKeyId", t.signKeyId).put("encKeyId", t.encKeyId)
                .put("sign", Terminal.b64(signOffer.request().toBytes())).put("enc", Terminal.b64(encOffer.request().toBytes()))).body();
        ClientKeyShare newSign = Resharing.accept(signOffer.newDeviceShare(),
                Sm2Curve.decodePoint(Terminal.unb64(reset.getJsonObject("sign").getString("p2"))));
        ClientKeyShare newEnc = Resharing.accept(encOffer.newDeviceShare(),
                Sm2Curve.decodePoint(Terminal.unb64(reset.getJsonObject("enc").getString("p2"))));
        ClientKeyShare oldSign = t.signShare;
        t.signShare = newSign;
        t.encShare = newEnc;
        t.signKeyId = reset.getJsonObject("sign").getLong("keyId");
        t.encKeyId = reset.getJsonObject("enc").getLong("keyId");
        assertNotEquals(oldSignKey, t.signKeyId);

        assertNotNull(t.sign("works again with the re-shared key"));
        assertEquals(6, t.confirmNow().body().getInteger("pinTriesLeft"));

        // a stolen copy of the old store is dead: its server record was destroyed
        Api.Response old = t.call("sign", new JsonObject().put("keyId", oldSignKey).put("request",
                Terminal.b64(ClientSigning.start(oldSign, BigInteger.TWO).request().toBytes())));
        assertEquals(410, old.status(), old::toString);
        assertEquals("COSIGN-143", old.code());
        assertTrue(t.status().getJsonArray("keys").stream().allMatch(k -> "ACTIVE".equals(((JsonObject) k).getString("state"))));
    }

    @Test
    void fiveWrongPinsThenTheRightOneResetsTheCounter() {
        cluster.trader("frank", "frank-password-1");
        Terminal t = cluster.terminal("frank", "laptop", 0);
        t.login("frank-password-1");
        t.enrol();
        ClientKeyShare wrong = wrongPin(t.signShare);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, attempt(t, wrong).status());
        }
        t.sign("the right PIN at the sixth try");
        JsonObject confirmed = t.confirmNow().body();
        assertEquals(6, confirmed.getInteger("pinTriesLeft"), "a confirmed signature resets the counter, like an Ekey's");
    }

    @Test
    void aConfirmationWithAForgedSignatureIsRefused() {
        cluster.trader("gina", "gina-password-1");
        Terminal t = cluster.terminal("gina", "laptop", 0);
        t.login("gina-password-1");
        t.enrol();
        t.sign("real");
        JsonObject forged = t.pendingConfirm.copy()
                .put("signature", Terminal.b64(new io.gmgate.crypto.Sm2Signature(BigInteger.ONE, BigInteger.TWO).toRaw()));
        Api.Response r = t.call("sign/confirm", new JsonObject().put("confirm", forged));
        assertEquals(400, r.status(), r::toString);
        assertEquals("COSIGN-147", r.code());
        assertEquals(5, t.confirmNow().body().getInteger("pinTriesLeft"),
                "the real confirmation still works after the forged one, which stays counted");
    }
}
