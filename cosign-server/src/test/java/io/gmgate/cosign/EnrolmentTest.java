package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.Sm2Verification;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Seed 003 §7.3.1: first login with certificate application, later login, signing, co-decryption. */
class EnrolmentTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
        cluster.trader("alice", "alice-password-1");
        cluster.trader("bob", "bob-password-1");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void firstLoginEnrolsAndLaterLoginFindsTheCertificate() {
        Terminal t = cluster.terminal("alice", "laptop-1", 0);
        Api.Response first = t.login("alice-password-1");
        assertEquals(200, first.status(), first::toString);
        assertTrue(first.body().getBoolean("firstLogin"));
        assertFalse(first.body().getBoolean("enrolled"));
        assertEquals(0, first.body().getJsonArray("keys").size());

        t.enrol();
        X509CertificateHolder sign = GmPem.certificateFromDer(Terminal.unb64(t.certificates.getString("sign")));
        X509CertificateHolder enc = GmPem.certificateFromDer(Terminal.unb64(t.certificates.getString("enc")));
        assertEquals(t.signShare.jointKey(), GmPem.publicKey(sign));
        assertEquals(t.encShare.jointKey(), GmPem.publicKey(enc));
        assertTrue(Sm2Verification.verify(sign, GmPem.publicKey(cluster.embeddedCa.issuingCertificate())));
        assertEquals(2, t.certificates.getJsonArray("chain").size());

        Sm2Signature sig = t.sign("buy 1 IF2412 at 3521.4");
        assertTrue(Sm2Signer.verify(GmPem.publicKey(sign), "buy 1 IF2412 at 3521.4".getBytes(StandardCharsets.UTF_8), sig),
                "a co-signature verifies under the certificate's key like any SM2 signature");
        JsonObject confirmed = t.confirmNow().body();
        assertEquals(6, confirmed.getInteger("pinTriesLeft"));
        assertTrue(confirmed.getBoolean("pinProven"));

        Terminal later = cluster.terminal("alice", "laptop-1", 0);
        later.signShare = t.signShare;
        later.signKeyId = t.signKeyId;
        Api.Response again = later.login("alice-password-1");
        assertEquals(200, again.status(), again::toString);
        assertFalse(again.body().getBoolean("firstLogin"));
        assertTrue(again.body().getBoolean("enrolled"));
        JsonArray keys = again.body().getJsonArray("keys");
        assertEquals(2, keys.size());
        for (int i = 0; i < 2; i++) {
            assertEquals("ACTIVE", keys.getJsonObject(i).getString("state"));
            assertNotNull(keys.getJsonObject(i).getString("notAfter"));
        }
        assertEquals(0, again.body().getJsonArray("warnings").size(), "a five-year certificate gives no expiry warning");
        assertNotNull(later.sign("cancel order 42"));
    }

    @Test
    void coDecryptionOpensWhatWasEncryptedToTheEncryptionCertificate() {
        Terminal t = cluster.terminal("bob", "desk-1", 0);
        assertEquals(200, t.login("bob-password-1").status());
        t.enrol();
        X509CertificateHolder enc = GmPem.certificateFromDer(Terminal.unb64(t.certificates.getString("enc")));
        byte[] secret = "settlement report 2026-11-23".getBytes(StandardCharsets.UTF_8);

        t.sign("prove the PIN"); // co-decryption needs a confirmed co-signature in the same request
        byte[] opened = t.decrypt(Sm2Cipher.encrypt(GmPem.publicKey(enc), secret));
        assertArrayEquals(secret, opened);

        Api.Response without = t.call("decrypt", new JsonObject().put("keyId", t.encKeyId)
                .put("request", Terminal.b64(io.gmgate.crypto.twoparty.ClientDecryption.start(t.encShare,
                        Sm2Cipher.encrypt(GmPem.publicKey(enc), secret)).toBytes())));
        assertEquals(403, without.status(), without::toString);
        assertEquals("COSIGN-148", without.code());
        assertNotNull(without.body().getString("nonce"), "an error after the nonce was spent still carries the next one");
    }

    @Test
    void aPendingKeySignsOnlyInTheSessionThatMadeIt() {
        cluster.trader("carol", "carol-password-1");
        Terminal t = cluster.terminal("carol", "pc-1", 0);
        t.login("carol-password-1");
        assertEquals(200, t.enrolKeys(UUID.randomUUID().toString()).status());

        Terminal other = cluster.terminal("carol", "pc-1", 0);
        other.login("carol-password-1");
        other.signShare = t.signShare;
        other.signKeyId = t.signKeyId;
        Api.Response r = other.call("sign", new JsonObject().put("keyId", t.signKeyId).put("request",
                Terminal.b64(io.gmgate.crypto.twoparty.ClientSigning.start(t.signShare, java.math.BigInteger.TEN).request().toBytes())));
        assertEquals(409, r.status(), r::toString);
        assertEquals("COSIGN-145", r.code());
    }

    @Test
    void aSecondEnrolmentOfAnEnrolledDeviceIsRefused() {
        cluster.trader("dave", "dave-password-1");
        Terminal t = cluster.terminal("dave", "pc-1", 0);
        t.login("dave-password-1");
        t.enrol();
        Terminal again = cluster.terminal("dave", "pc-1", 0);
        again.login("dave-password-1");
        Api.Response r = again.enrolKeys(UUID.randomUUID().toString());
        assertEquals(409, r.status(), r::toString);
        assertEquals("COSIGN-144", r.code());
    }
}
