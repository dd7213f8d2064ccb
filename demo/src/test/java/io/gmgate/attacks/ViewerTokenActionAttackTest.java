package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.session.AccessMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Issue 17: the console hides what a role may not do, but hiding is not the defence. A read-only
 * VIEWER token sent straight at every action the console's pages offer — the console's mode change,
 * the admin API's, a disconnect, a certificate lock — is refused by the server with ADMIN-301, nothing
 * changes, and each attempt lands in the audit chain; the SRE's token still works afterwards.
 */
class ViewerTokenActionAttackTest {

    private static DemoSite site;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void everyActionWithAViewerTokenIsRefusedAndAudited() throws Exception {
        String[][] attempts = {
                {"PUT", "/admin/v1/console/mode", "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\",\"ttl\":\"PT5M\"}"},
                {"PUT", "/admin/v1/mode", "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\"}"},
                {"DELETE", "/admin/v1/terminals/some-connection", null},
                {"POST", "/admin/v1/certificates/0a1b/lock", "{\"reason\":\"x\"}"},
                {"POST", "/admin/v1/accounts/8001/devices/pc-2/approve", "{\"reason\":\"x\"}"}};
        for (String[] a : attempts) {
            HttpResponse<String> r = send(a[0], a[1], site.viewerToken(), a[2]);
            assertEquals(403, r.statusCode(), a[1] + " " + r.body());
            assertEquals("ADMIN-301", new JsonObject(r.body()).getString("code"), a[1]);
        }
        assertEquals(AccessMode.NORMAL, site.node().modes().effective(GatewayNode.TRADING));

        JsonObject audit = new JsonObject(send("GET", "/admin/v1/console/audit", site.viewerToken(), null).body())
                .getJsonObject("result");
        assertTrue(audit.getJsonObject("verification").getBoolean("intact"), audit.encode());
        JsonArray records = audit.getJsonArray("records");
        long refusals = records.stream().map(JsonObject.class::cast).filter(r -> "admin:demo-viewer".equals(r.getString("actor"))
                && r.getString("action").endsWith(".refused")).count();
        assertEquals(attempts.length, refusals, records.encode());

        // the node still serves its SRE
        HttpResponse<String> sre = send("PUT", "/admin/v1/mode", site.sreToken(),
                "{\"scope\":\"cluster\",\"mode\":\"NORMAL\",\"reason\":\"after the attack\",\"ttl\":\"PT5M\"}");
        assertEquals(200, sre.statusCode(), sre.body());
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + site.node().port("admin") + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
