package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * docs/security.md, "The PIN and co-signing": a confirmation is bound to the attempt's own r, a forged one is refused and
 * counted, a PIN reset finishes only in the session that started it, and a confirmation forgives the
 * tries counted up to the attempt it confirms, never a later one.
 */
class PinConfirmationTest {

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

    /** A valid SM2 signature on a digest chosen to fit it, from the public key alone (design §11). */
    record Forgery(BigInteger e, Sm2Signature signature) {
        static Forgery of(Sm2PublicKey p) {
            BigInteger n = Sm2Curve.N;
            while (true) {
                BigInteger s = Sm2Curve.randomScalar();
                BigInteger t = Sm2Curve.randomScalar();
                BigInteger r = t.subtract(s).mod(n);
                ECPoint big = Sm2Curve.G.multiply(s).add(p.point().multiply(t)).normalize();
                if (r.signum() == 0 || big.isInfinity()) {
                    continue;
                }
                BigInteger e = r.subtract(big.getAffineXCoord().toBigInteger()).mod(n);
                Sm2Signature sig = new Sm2Signature(r, s);
                if (Sm2Signer.verifyDigest(p, e, sig)) {
                    return new Forgery(e, sig);
                }
            }
        }
    }

    /** One attacker round: a sign request for the forged e, then its forged confirmation. */
    static Api.Response[] forgedRound(Terminal t, Sm2PublicKey p) {
        Forgery f = Forgery.of(p);
        SignRequest req = new SignRequest(Sm2Curve.multiplyG(Sm2Curve.randomScalar()), f.e());
        Api.Response sign = t.call("sign", new JsonObject().put("keyId", t.signKeyId).put("request", Terminal.b64(req.toBytes())));
        if (sign.status() != 200) {
            return new Api.Response[] {sign};
        }
        JsonObject confirm = new JsonObject().put("attempt", sign.body().getString("attempt"))
                .put("signature", Terminal.b64(f.signature().toRaw()));
        return new Api.Response[] {sign, t.call("sign/confirm", new JsonObject().put("confirm", confirm))};
    }

    private static Terminal enrolled(String account) {
        cluster.trader(account, account + "-password-1");
        Terminal t = cluster.terminal(account, "laptop", 0);
        t.login(account + "-password-1");
        t.enrol();
        return t;
    }

    @Test
    void forgedConfirmationsAreRefusedCountedAndLockTheKey() {
        Terminal victim = enrolled("hana");
        Sm2PublicKey p = victim.signShare.jointKey();
        Terminal attacker = cluster.terminal("hana", "laptop", 0);
        attacker.login("hana-password-1");
        attacker.signKeyId = victim.signKeyId;

        boolean locked = false;
        for (int round = 0; round < 20 && !locked; round++) {
            Api.Response[] r = forgedRound(attacker, p);
            if (r.length == 1) {
                assertEquals("COSIGN-141", r[0].code(), r[0]::toString);
                locked = true;
            } else {
                assertEquals("COSIGN-147", r[1].code(), "a forged confirmation is refused: " + r[1]);
                assertTrue(r[1].body().getString("message").contains("counted"), r[1]::toString);
            }
        }
        assertTrue(locked, "20 forged rounds never locked the key");
        JsonObject status = attacker.status();
        assertEquals(0, status.getInteger("pinTriesLeft"));
        assertFalse(status.getBoolean("pinProven"));
    }

    @Test
    void aConfirmationWithTheRightSignatureButAnotherRIsRefused() {
        Terminal t = enrolled("ivan");
        ClientKeyShare share = t.signShare;
        // a genuine signature of the attempt's e, made in another round (so with another r)
        BigInteger e = Sm2Signer.e(share.jointKey(), Sm2Signer.defaultId(), "twice".getBytes());
        t.coSign(e);
        JsonObject first = t.pendingConfirm;
        t.confirmNow();
        t.coSign(e);
        JsonObject second = t.pendingConfirm.copy().put("signature", first.getString("signature"));
        Api.Response r = t.call("sign/confirm", new JsonObject().put("confirm", second));
        assertEquals("COSIGN-147", r.code(), r::toString);
        t.pendingConfirm = null; // the attacker has no genuine confirmation of the second round
        assertEquals(4, t.status().getInteger("pinTriesLeft"), "the round and the bad confirmation both count");
    }

    @Test
    void pinResetFinishNeedsAStartInTheSameSession() {
        Terminal t = enrolled("jana");
        t.sign("prove the PIN");
        io.gmgate.crypto.twoparty.Resharing.Offer s = io.gmgate.crypto.twoparty.Resharing.offer(t.signShare);
        io.gmgate.crypto.twoparty.Resharing.Offer e = io.gmgate.crypto.twoparty.Resharing.offer(t.encShare);
        JsonObject finish = new JsonObject().put("signKeyId", t.signKeyId).put("encKeyId", t.encKeyId)
                .put("sign", Terminal.b64(s.request().toBytes())).put("enc", Terminal.b64(e.request().toBytes()));
        Api.Response r = t.call("pin/reset/finish", finish);
        assertEquals(409, r.status(), r::toString);
        assertEquals("COSIGN-157", r.code());
        // a start in another session does not count for this one
        Terminal other = cluster.terminal("jana", "laptop", 0);
        other.login("jana-password-1");
        other.ok("pin/reset/start", new JsonObject().put("password", "jana-password-1"));
        t.sign("prove again");
        assertEquals("COSIGN-157", t.call("pin/reset/finish", finish).code());
        assertEquals(1, t.cluster.shards.keys("jana", "laptop").stream()
                .filter(k -> k.state() == io.gmgate.keystore.KeyState.ACTIVE && k.purpose() == io.gmgate.keystore.ShareBinding.Purpose.SIGN)
                .count(), "the keys were not re-shared");
    }

    @Test
    void aConfirmationForgivesTheTriesBeforeItsAttemptAndNoneAfter() {
        Terminal honest = enrolled("kurt");
        Terminal thief = cluster.terminal("kurt", "laptop", 0);
        thief.login("kurt-password-1");
        thief.signShare = PinLockoutTest.wrongPin(honest.signShare);
        thief.signKeyId = honest.signKeyId;

        honest.sign("an honest signature, confirmed late");
        JsonObject old = honest.pendingConfirm;
        honest.pendingConfirm = null;
        // two tries in the thief's session after it
        for (int i = 0; i < 2; i++) {
            assertEquals(200, thief.call("sign", new JsonObject().put("keyId", thief.signKeyId).put("request",
                    Terminal.b64(io.gmgate.crypto.twoparty.ClientSigning.start(thief.signShare, BigInteger.TEN).request().toBytes())))
                    .status());
        }
        // and one later unconfirmed try in the honest session
        honest.sign("a later round whose answer was lost");
        honest.pendingConfirm = null;
        JsonObject after = honest.ok("sign/confirm", new JsonObject().put("confirm", old)).body();
        assertEquals(3, after.getInteger("pinTriesLeft"),
                "the old confirmation forgives its own try only: the thief's two and the later one stay");
        assertFalse(after.getBoolean("pinProven"), "a later try of this session is still unconfirmed");
        honest.sign("confirmed at once");
        JsonObject now = honest.confirmNow().body();
        assertEquals(6, now.getInteger("pinTriesLeft"), "the right PIN used after them forgives every earlier try, as a card does");
        assertTrue(now.getBoolean("pinProven"));
    }
}
