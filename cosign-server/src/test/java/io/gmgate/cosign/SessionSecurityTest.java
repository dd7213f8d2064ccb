package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/** Design §11 rules: single-use nonces, requests bound to their session and device, login limits, passwords. */
class SessionSecurityTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
        cluster.trader("hana", "hana-password-1");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static JsonObject status(Terminal t, String session, String device, String nonce) {
        return new JsonObject().put("session", session).put("device", device).put("nonce", nonce);
    }

    @Test
    void aReplayedRequestIsRefused() {
        Terminal t = cluster.terminal("hana", "pc-1", 0);
        t.login("hana-password-1");
        JsonObject request = status(t, t.session, t.device, t.nonce);
        Api.Response first = Api.post(t.port, "status", request);
        assertEquals(200, first.status(), first::toString);
        Api.Response replay = Api.post(t.port, "status", request);
        assertEquals(409, replay.status(), replay::toString);
        assertEquals("COSIGN-114", replay.code());
        assertNull(replay.body().getString("nonce"), "a refused nonce earns no new one");
    }

    @Test
    void aNonceOrTokenOfAnotherSessionIsRefused() {
        Terminal a = cluster.terminal("hana", "pc-1", 0);
        Terminal b = cluster.terminal("hana", "pc-2", 0);
        a.login("hana-password-1");
        b.login("hana-password-1");

        Api.Response foreignNonce = Api.post(a.port, "status", status(b, b.session, b.device, a.nonce));
        assertEquals(409, foreignNonce.status());
        assertEquals("COSIGN-114", foreignNonce.code());

        Api.Response otherDevice = Api.post(a.port, "status", status(a, a.session, b.device, a.nonce));
        assertEquals(403, otherDevice.status());
        assertEquals("COSIGN-113", otherDevice.code());

        Api.Response unknown = Api.post(a.port, "status", status(a, "A".repeat(43), a.device, a.nonce));
        assertEquals(401, unknown.status());
        assertEquals("COSIGN-112", unknown.code());

        // the nonce a's refused requests carried was not spent: a still works with it
        assertEquals(200, a.call("status", new JsonObject()).status());
    }

    @Test
    void aLostNonceIsReplacedThroughNonces() {
        Terminal t = cluster.terminal("hana", "pc-3", 0);
        t.login("hana-password-1");
        t.nonce = "B".repeat(22);
        assertEquals("COSIGN-114", t.call("status", new JsonObject()).code());
        t.refreshNonce();
        assertEquals(200, t.call("status", new JsonObject()).status());
    }

    @Test
    void repeatedWrongPasswordsMakeTheAccountWait() {
        cluster.trader("ivan", "ivan-password-1");
        Terminal t = cluster.terminal("ivan", "pc-1", 0);
        for (int i = 0; i < 5; i++) {
            Api.Response r = t.login("wrong-" + i);
            assertEquals(401, r.status());
            assertEquals("COSIGN-110", r.code());
        }
        Api.Response limited = t.login("ivan-password-1");
        assertEquals(429, limited.status(), limited::toString);
        assertEquals("COSIGN-120", limited.code());
        assertNotNull(limited.retryAfter());
        assertTrue(limited.body().getInteger("retryAfterSeconds") > 0);

        Api.Response unknownAccount = cluster.terminal("nobody", "pc-1", 0).login("whatever");
        assertEquals("COSIGN-110", unknownAccount.code(), "an unknown account looks like a wrong password");
    }

    @Test
    void anInitialPasswordMustBeChangedFirstAndTheChangeEndsOtherSessions() {
        cluster.node(0).accounts().addBuiltin("judy", "initial-pass".toCharArray(), "test");
        Terminal t = cluster.terminal("judy", "pc-1", 0);
        Api.Response login = t.login("initial-pass");
        assertTrue(login.body().getBoolean("mustChangePassword"));
        Terminal other = cluster.terminal("judy", "pc-2", 0);
        other.login("initial-pass");

        Api.Response refused = t.call("enrol/keys", new JsonObject().put("idempotencyKey", "k".repeat(16))
                .put("sign", Terminal.b64(new byte[162])).put("enc", Terminal.b64(new byte[162])));
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("COSIGN-115", refused.code());

        Api.Response weak = t.call("password", new JsonObject().put("oldPassword", "initial-pass").put("newPassword", "short"));
        assertEquals("COSIGN-119", weak.code());
        Api.Response changed = t.ok("password", new JsonObject().put("oldPassword", "initial-pass").put("newPassword", "a-better-one-2026"));
        t.session = changed.body().getString("session");
        t.sessionId = changed.body().getString("sessionId");
        assertEquals(200, t.call("status", new JsonObject()).status(), "the new session is not restricted");
        assertEquals("COSIGN-112", other.call("status", new JsonObject()).code(), "other sessions ended");

        Api.Response again = cluster.terminal("judy", "pc-1", 0).login("a-better-one-2026");
        assertEquals(200, again.status());
        assertFalse(again.body().getBoolean("mustChangePassword"));
        assertEquals("COSIGN-110", cluster.terminal("judy", "pc-1", 0).login("initial-pass").code());
    }

    @Test
    void logoutEndsTheSession() {
        Terminal t = cluster.terminal("hana", "pc-4", 0);
        t.login("hana-password-1");
        assertEquals(200, t.call("logout", new JsonObject()).status());
        assertEquals("COSIGN-112", t.call("status", new JsonObject()).code());
    }
}
