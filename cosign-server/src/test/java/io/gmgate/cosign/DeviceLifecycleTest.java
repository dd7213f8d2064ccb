package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

import io.gmgate.ca.CertificateStatus;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.Resharing;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * Design §4 step 7 and docs/terminal.md, "A second device" (不同交易终端复用数字证书): a second device gets fresh shares of the
 * same keys and reuses the certificate; devices are locked, unlocked and revoked one by one or with
 * the certificate.
 */
class DeviceLifecycleTest {

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

    /** The old device re-shares to the new one; the new one checks P2' and logs in under its own id. */
    static Terminal addDevice(Terminal old, String newDevice, String password) {
        old.sign("unlock the PIN for adding a device");
        Resharing.Offer sign = Resharing.offer(old.signShare);
        Resharing.Offer enc = Resharing.offer(old.encShare);
        JsonObject added = old.ok("devices/add", new JsonObject().put("idempotencyKey", UUID.randomUUID().toString())
                .put("newDevice", newDevice).put("sign", Terminal.b64(sign.request().toBytes()))
                .put("enc", Terminal.b64(enc.request().toBytes()))).body();
        Terminal t = cluster.terminal(old.account, newDevice, 0);
        t.signShare = Resharing.accept(sign.newDeviceShare(), Sm2Curve.decodePoint(Terminal.unb64(added.getJsonObject("sign").getString("p2"))));
        t.encShare = Resharing.accept(enc.newDeviceShare(), Sm2Curve.decodePoint(Terminal.unb64(added.getJsonObject("enc").getString("p2"))));
        t.signKeyId = added.getJsonObject("sign").getLong("keyId");
        t.encKeyId = added.getJsonObject("enc").getLong("keyId");
        t.certificates = added.getJsonObject("certificates");
        assertEquals(old.certificates.getString("signSerial"), t.certificates.getString("signSerial"), "the certificate is reused");
        assertEquals(200, t.login(password).status());
        return t;
    }

    private static Api.Response attempt(Terminal t) {
        return t.call("sign", new JsonObject().put("keyId", t.signKeyId)
                .put("request", Terminal.b64(ClientSigning.start(t.signShare, BigInteger.TEN).request().toBytes())));
    }

    @Test
    void aSecondDeviceSignsUnderTheSameCertificateAndBothKeepWorking() {
        cluster.trader("pia", "pia-password-1");
        Terminal laptop = cluster.terminal("pia", "laptop", 0);
        laptop.login("pia-password-1");
        laptop.enrol();
        Terminal desk = addDevice(laptop, "desk", "pia-password-1");
        assertTrue(desk.lastLogin.getBoolean("enrolled"));

        Sm2PublicKey certKey = GmPem.publicKey(GmPem.certificateFromDer(Terminal.unb64(laptop.certificates.getString("sign"))));
        assertTrue(Sm2Signer.verify(certKey, "from desk".getBytes(StandardCharsets.UTF_8), desk.sign("from desk")));
        assertTrue(Sm2Signer.verify(certKey, "from laptop".getBytes(StandardCharsets.UTF_8), laptop.sign("from laptop")));
        assertEquals(2, desk.status().getJsonArray("devices").size());

        Api.Response again = laptop.call("devices/add", new JsonObject().put("idempotencyKey", UUID.randomUUID().toString())
                .put("newDevice", "desk").put("sign", Terminal.b64(Resharing.offer(laptop.signShare).request().toBytes()))
                .put("enc", Terminal.b64(Resharing.offer(laptop.encShare).request().toBytes())));
        assertEquals("COSIGN-151", again.code(), "a device that has keys is not overwritten");
    }

    @Test
    void aLockSetFromAnotherDeviceHoldsUntilTheTraderUnlocksWithThePassword() {
        cluster.trader("quinn", "quinn-password-1");
        Terminal laptop = cluster.terminal("quinn", "laptop", 0);
        laptop.login("quinn-password-1");
        laptop.enrol();
        Terminal phone = addDevice(laptop, "phone", "quinn-password-1");

        phone.ok("lock", new JsonObject().put("target", "laptop").put("reason", "laptop left in a taxi"));
        Api.Response locked = attempt(laptop);
        assertEquals(423, locked.status(), locked::toString);
        assertEquals("COSIGN-142", locked.code());
        assertNotNull(phone.sign("the phone still works"));

        assertEquals("COSIGN-116", phone.call("unlock", new JsonObject().put("target", "laptop").put("password", "nope")).code());
        phone.ok("unlock", new JsonObject().put("target", "laptop").put("password", "quinn-password-1"));
        assertNotNull(laptop.sign("found it"));
        assertEquals("COSIGN-152", phone.call("lock", new JsonObject().put("target", "someone-elses")).code());
    }

    @Test
    void eachLockReasonIsLiftedOnlyByItsOwner() {
        cluster.trader("tess", "tess-password-1");
        Terminal laptop = cluster.terminal("tess", "laptop", 0);
        laptop.login("tess-password-1");
        laptop.enrol();

        // the trader's own lock, then the PIN lock on top: he unlocks his, the PIN reset lifts the other
        laptop.ok("lock", new JsonObject().put("reason", "left at the office"));
        for (int i = 0; i < 100 && !cluster.shards.recordPinFailure("tess", "laptop").locked(); i++) {
            // bounded: the threshold is a handful
        }
        assertEquals("COSIGN-141", attempt(laptop).code(), "the PIN lock is named before the trader's own");
        laptop.ok("unlock", new JsonObject().put("password", "tess-password-1"));
        assertEquals("COSIGN-141", attempt(laptop).code(), "his unlock lifted only his lock");
        // an operator locks the device too: the PIN reset is refused and the operator is named
        cluster.shards.lock("tess", "laptop", io.gmgate.keystore.LockReason.OPERATOR, "admin:ops", "fraud check");
        assertEquals("COSIGN-153", laptop.call("pin/reset/start", new JsonObject().put("password", "tess-password-1")).code());
        assertEquals("COSIGN-154", attempt(laptop).code());
        assertEquals("COSIGN-153", laptop.call("unlock", new JsonObject().put("password", "tess-password-1")).code());
        cluster.shards.unlock("tess", "laptop", io.gmgate.keystore.LockReason.OPERATOR, "admin:ops", "cleared");
        laptop.ok("pin/reset/start", new JsonObject().put("password", "tess-password-1"));
        assertNotNull(laptop.sign("back to work"));
    }

    @Test
    void aNewDeviceNeedsAnExistingDeviceOrAnOperatorAndTheTraderIsTold() {
        cluster.trader("sam", "sam-password-1");
        Terminal laptop = cluster.terminal("sam", "laptop", 0);
        laptop.login("sam-password-1");
        laptop.enrol();

        // the password alone (a phished one) no longer gets another device a certificate of its own
        Terminal stranger = cluster.terminal("sam", "stranger-pc", 0);
        stranger.login("sam-password-1");
        Api.Response refused = stranger.enrolKeys(UUID.randomUUID().toString());
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("COSIGN-155", refused.code());

        // an operator's approval lets that device enrol once
        new io.gmgate.cosign.pg.PgDeviceApprovals(io.gmgate.cosign.pg.CosignJdbc.of(PG.dataSource(), "test"))
                .approve("sam", "stranger-pc", "admin:ops", "replacement PC, holder called in", java.time.Instant.now());
        stranger.enrol();
        assertTrue(stranger.lastLogin != null);
        Terminal another = cluster.terminal("sam", "third-pc", 0);
        another.login("sam-password-1");
        assertEquals("COSIGN-155", another.enrolKeys(UUID.randomUUID().toString()).code(), "the approval named one device");

        // a device added from the laptop (a co-signed approval) needs no operator
        addDevice(laptop, "phone", "sam-password-1");

        // the laptop hears of both at its next login, once
        laptop.login("sam-password-1");
        String warnings = laptop.lastLogin.getJsonArray("warnings").encode();
        assertTrue(warnings.contains("COSIGN-165") && warnings.contains("device stranger-pc was added")
                && warnings.contains("operator admin:ops") && warnings.contains("device phone was added"), warnings);
        laptop.login("sam-password-1");
        assertTrue(!laptop.lastLogin.getJsonArray("warnings").encode().contains("COSIGN-165"), "told once");
    }

    @Test
    void revokingADeviceKeepsTheCertificateRevokingTheCertificateEndsEveryDevice() {
        cluster.trader("rita", "rita-password-1");
        Terminal laptop = cluster.terminal("rita", "laptop", 0);
        laptop.login("rita-password-1");
        laptop.enrol();
        Terminal desk = addDevice(laptop, "desk", "rita-password-1");
        BigInteger serial = new BigInteger(laptop.certificates.getString("signSerial"), 16);

        JsonObject one = desk.ok("revoke", new JsonObject().put("password", "rita-password-1").put("scope", "device")
                .put("target", "laptop")).body();
        assertEquals(0, one.getJsonArray("revokedSerials").size(), "the desk still holds the keys: the certificate stays");
        assertEquals("COSIGN-143", attempt(laptop).code());
        assertEquals(CertificateStatus.State.GOOD, cluster.embeddedCa.status(serial).state());
        assertNotNull(desk.sign("desk goes on"));

        JsonObject all = desk.ok("revoke", new JsonObject().put("password", "rita-password-1").put("scope", "certificate")
                .put("reason", "keyCompromise")).body();
        assertEquals(2, all.getJsonArray("revokedSerials").size());
        assertEquals(CertificateStatus.State.REVOKED, cluster.embeddedCa.status(serial).state());
        assertEquals("COSIGN-143", attempt(desk).code());
    }
}
