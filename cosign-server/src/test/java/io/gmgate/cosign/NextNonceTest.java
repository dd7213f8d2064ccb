package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * Which session an answer's next nonce belongs to (docs/cosign-api.md §2, §5.2, §5.15), as each operation's
 * {@link Outcome} names it: a password change answers with a nonce of the session it opened; a refused one
 * with a nonce of the request's session; logout with none; login and /v1/nonces with their own only.
 */
class NextNonceTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
        cluster.trader("lena", "lena-password-1");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** A terminal logged in to an account whose initial password must be changed. */
    private static Terminal mustChange(String account) {
        cluster.node(0).accounts().addBuiltin(account, "initial-pass".toCharArray(), "test");
        Terminal t = cluster.terminal(account, "pc-1", 0);
        Api.Response login = t.login("initial-pass");
        assertEquals(200, login.status(), login::toString);
        return t;
    }

    @Test
    void aPasswordChangeAnswersWithANonceOfTheSessionItOpened() {
        Terminal t = mustChange("mona");
        String oldSessionId = t.sessionId;

        Api.Response changed = t.ok("password", new JsonObject().put("oldPassword", "initial-pass").put("newPassword", "mona-better-2026"));
        assertEquals(Set.of("session", "sessionId", "sessionExpiresInSeconds", "nonce", "nonceExpiresInSeconds"),
                changed.body().fieldNames(), "the wire body holds the §5.15 fields and nothing else");
        String newSessionId = changed.body().getString("sessionId");
        assertNotEquals(oldSessionId, newSessionId);
        String nonce = changed.body().getString("nonce");
        assertFalse(cluster.nonces.consume(oldSessionId, nonce), "the nonce is not one of the ended session's");

        t.session = changed.body().getString("session");
        t.sessionId = newSessionId;
        Api.Response status = Api.post(t.port, "status", new JsonObject().put("session", t.session).put("device", t.device)
                .put("nonce", nonce));
        assertEquals(200, status.status(), () -> "the new session accepts the nonce: " + status);
    }

    @Test
    void aRefusedPasswordChangeAnswersWithANonceOfTheRequestsSession() {
        Terminal t = mustChange("nina");
        Api.Response weak = t.call("password", new JsonObject().put("oldPassword", "initial-pass").put("newPassword", "short"));
        assertEquals("COSIGN-119", weak.code(), weak::toString);
        assertNotNull(weak.body().getString("nonce"), "the nonce was spent, so the refusal carries the next");
        assertEquals(200, t.call("status", new JsonObject()).status(), "the session that asked takes it");
    }

    @Test
    void logoutAnswersWithoutANonce() {
        Terminal t = cluster.terminal("lena", "pc-2", 0);
        t.login("lena-password-1");
        Api.Response out = t.call("logout", new JsonObject());
        assertEquals(200, out.status(), out::toString);
        assertEquals(Set.of(), out.body().fieldNames());
    }

    @Test
    void loginAndNoncesCarryOnlyTheirOwnNonces() {
        Terminal t = cluster.terminal("lena", "pc-3", 0);
        Api.Response login = t.login("lena-password-1");
        assertEquals(200, login.status(), login::toString);
        assertNotNull(login.body().getString("nonce"));

        Api.Response nonces = Api.post(t.port, "nonces", new JsonObject().put("session", t.session).put("device", t.device)
                .put("count", 2));
        assertEquals(200, nonces.status(), nonces::toString);
        assertEquals(Set.of("nonces", "nonceExpiresInSeconds"), nonces.body().fieldNames());
        for (Object n : nonces.body().getJsonArray("nonces")) {
            t.nonce = (String) n;
            assertEquals(200, t.call("status", new JsonObject()).status());
        }
        t.nonce = login.body().getString("nonce");
        assertEquals(200, t.call("status", new JsonObject()).status(), "the login's own nonce is the session's too");
    }
}
