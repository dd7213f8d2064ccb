package io.gmgate.app.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.Rollout;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.session.AccessMode;
import io.gmgate.session.OnlineTerminal;
import io.gmgate.tlcp.io.TlcpSocket;
import io.vertx.core.json.JsonObject;

/**
 * Issue 17: the web console on a real two-node site — the demo site's gateway and a second gateway
 * node in a cluster member of its own, each with its own card file — driven in headless Chromium.
 * The admin-API cases (a viewer refused and audited, a disconnect across nodes) need no browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final char[] PIN = "135246".toCharArray();
    private static DemoSite site;
    private static SoftCipherCard secondCard;
    private static Path secondCardFile;
    private static GatewayNode second;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        // the custodians' steps done: the policy key in the card, a first NORMAL policy naming the endpoints
        site.card().generateSm2Key(203);
        Instant now = Instant.now();
        Endpoint emergency = new Endpoint("demo", "127.0.0.1", site.frontPort());
        AccessPolicy first = new AccessPolicy(1, now, now.plus(Duration.ofHours(24)), AccessPolicy.Mode.NORMAL,
                List.of(new Endpoint("demo", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("demo", "127.0.0.1", site.tradingPort())), List.of(emergency), Rollout.EVERYONE);
        site.publishPolicy(1, SignedPolicy.sign(first, Sm2SignKey.onCard(site.card(), 203)));
        secondCardFile = site.directory().resolve("card-gw-2.gmc");
        Files.copy(site.directory().resolve("card.gmc"), secondCardFile);
        secondCard = SoftCipherCard.open(secondCardFile, "demo card passphrase".toCharArray());
        second = site.addClusterMember("gw-2", secondCard);
        await("both nodes on the board").atMost(Duration.ofSeconds(60)).until(() -> {
            JsonObject s = get(site.sreToken(), "/admin/v1/console/site");
            return s.getJsonArray("nodes").size() == 2 && s.getJsonArray("members").size() == 2;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
        if (secondCard != null) {
            secondCard.close();
        }
    }

    @Test
    @Order(1)
    void eachRoleLogsInAndSeesOnlyWhatItMay() throws Exception {
        String[][] roles = {{site.viewerToken(), "VIEWER", "false", "false"}, {site.sreToken(), "SRE", "true", "false"},
                {site.keyOperatorToken(), "KEY_OPERATOR", "false", "true"}};
        for (String[] r : roles) {
            try (ConsoleBrowser b = ConsoleBrowser.open(adminPort())) {
                b.login(r[0]);
                assertEquals(r[1], b.byId("role").getText());
                b.page("modes");
                assertEquals(Boolean.parseBoolean(r[2]), b.byId("mode-form").isDisplayed(), r[1] + " sees the mode form");
                b.page("terminals");
                assertEquals(Boolean.parseBoolean(r[3]), b.byId("lock-form").isDisplayed(), r[1] + " sees the lock form");
            }
        }
        try (ConsoleBrowser b = ConsoleBrowser.open(adminPort())) {
            b.driver.get("http://127.0.0.1:" + adminPort() + "/console/");
            b.byId("token").sendKeys("not-a-token");
            b.byId("login-button").click();
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "ADMIN-300"));
            assertFalse(b.byId("nav").isDisplayed(), "no page for a wrong token");
        }
    }

    @Test
    @Order(2)
    void aViewerIsRefusedServerSideAndTheRefusalIsInTheAuditTrail() throws Exception {
        HttpResponse<String> r = send("PUT", site.viewerToken(), "/admin/v1/console/mode",
                "{\"scope\":\"cluster\",\"mode\":\"BYPASS\",\"reason\":\"x\",\"ttl\":\"PT5M\"}");
        assertEquals(403, r.statusCode());
        assertEquals("ADMIN-301", new JsonObject(r.body()).getString("code"));
        assertEquals(AccessMode.NORMAL, site.node().modes().effective(GatewayNode.TRADING));
        JsonObject audit = get(site.sreToken(), "/admin/v1/console/audit");
        assertTrue(audit.getJsonObject("verification").getBoolean("intact"), audit.encode());
        assertTrue(audit.getJsonArray("records").stream().map(JsonObject.class::cast).anyMatch(a ->
                "admin:demo-viewer".equals(a.getString("actor")) && "admin.mode.set.refused".equals(a.getString("action"))),
                audit.encode());
    }

    @Test
    @Order(3)
    void theAdminApiDisconnectsTerminalsOnTheOtherNode() throws Exception {
        // two in a row: before, the request went to a shared address that the cluster's event bus hands
        // to the nodes in turn, and only the node holding the connection answered — one of the two missed
        try (Trader t1 = Trader.on(site, "8400301", second.port(GatewayNode.TRADING));
             Trader t2 = Trader.on(site, "8400311", second.port(GatewayNode.TRADING))) {
            for (Trader t : List.of(t1, t2)) {
                OnlineTerminal on = awaitOnline(t.account(), second);
                // found by its certificate serial too, named by its node
                String serial = serialOf(t.account());
                JsonObject found = get(site.sreToken(), "/admin/v1/console/terminals?q=" + serial);
                assertTrue(found.getJsonArray("terminals").stream().map(JsonObject.class::cast).anyMatch(x ->
                        x.getString("id").equals(on.connectionId()) && "gw-2".equals(x.getString("node"))), found.encode());
                HttpResponse<String> r = send("DELETE", site.sreToken(), "/admin/v1/terminals/" + on.connectionId(), null);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(new JsonObject(r.body()).getJsonObject("result").getBoolean("disconnected"), r.body());
                await("the terminal on gw-2 is cut off").atMost(Duration.ofSeconds(10)).until(() -> !t.stillTrades());
            }
        }
    }

    @Test
    @Order(4)
    void anSreFlipsToBypassAndBackWhileATerminalTrades() throws Exception {
        try (Trader t = Trader.on(site, "8400302", site.tradingPort()); ConsoleBrowser b = ConsoleBrowser.open(adminPort())) {
            b.login(site.sreToken());
            b.screenshot("overview");
            b.page("modes");
            setMode(b, "BYPASS", "C.1 drill from the console");
            await("BYPASS on both nodes").atMost(Duration.ofSeconds(10)).until(() ->
                    site.node().bypassOpen() && second.bypassOpen());
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("mode-table"), "BYPASS"));
            b.screenshot("modes");
            assertTrue(t.stillTrades(), "the two-way terminal keeps trading in BYPASS");
            // a reason is data: markup in it is shown, never run
            setMode(b, "NORMAL", "drill over <img src=x onerror=\"window.pwned=1\">");
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("mode-history"), "<img src=x"));
            assertEquals(null, ((org.openqa.selenium.JavascriptExecutor) b.driver).executeScript("return window.pwned"));
            await("NORMAL on both nodes").atMost(Duration.ofSeconds(10)).until(() ->
                    !site.node().bypassOpen() && !second.bypassOpen());
            assertTrue(t.stillTrades(), "and after it");
            b.page("audit");
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-verify"), "intact"));
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "admin.policy.publish"));
            b.screenshot("audit");
            b.page("certificates");
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("expiring"), "8400302"));
            b.screenshot("certificates");
            b.page("charts");
            b.waiting().until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "return document.getElementById('chart-logins').toDataURL().length > 3000")));
            b.screenshot("charts");
        }
    }

    private static void setMode(ConsoleBrowser b, String mode, String reason) {
        WebElement scope = b.byId("mode-scope");
        scope.clear();
        scope.sendKeys("cluster");
        new Select(b.byId("mode-value")).selectByVisibleText(mode);
        WebElement why = b.byId("mode-reason");
        why.clear();
        why.sendKeys(reason);
        b.byId("mode-preview").click();
        b.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("mode-effect")));
        assertTrue(b.byId("mode-effect-text").getText().contains(mode), b.byId("mode-effect-text").getText());
        b.byId("mode-confirm").click();
        b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("mode-result"), "(" + mode + ","));
        assertTrue(b.byId("mode-result").getText().contains("signed and published"), b.byId("mode-result").getText());
    }

    @Test
    @Order(5)
    void anSreDisconnectsATerminalOnTheOtherNodeFromTheConsole() throws Exception {
        try (Trader t = Trader.on(site, "8400303", second.port(GatewayNode.TRADING)); ConsoleBrowser b = ConsoleBrowser.open(adminPort())) {
            awaitOnline("8400303", second);
            b.login(site.sreToken());
            b.page("terminals");
            b.byId("terminal-query").sendKeys("8400303");
            By row = By.cssSelector("#terminals tr[data-account='8400303'][data-node='gw-2'] button.disconnect");
            b.waiting().until(ExpectedConditions.elementToBeClickable(row));
            b.screenshot("terminals");
            b.driver.findElement(row).click();
            b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("terminal-result"), "disconnected"));
            await("the terminal on gw-2 is cut off").atMost(Duration.ofSeconds(10)).until(() -> !t.stillTrades());
        }
    }

    @Test
    @Order(6)
    void aNodeWhoseCardIsDownGoesRed() throws Exception {
        byte[] good = Files.readAllBytes(secondCardFile);
        try (ConsoleBrowser b = ConsoleBrowser.open(adminPort())) {
            b.login(site.viewerToken());
            By row = By.id("node-gw-2");
            b.waiting().until(ExpectedConditions.attributeToBe(row, "class", "up"));
            Files.write(secondCardFile, new byte[] {1, 2, 3}); // the card is its file: it is gone
            b.waiting().until(ExpectedConditions.attributeToBe(row, "class", "down"));
            assertTrue(b.driver.findElement(row).getText().contains("card: DOWN"), b.driver.findElement(row).getText());
            assertEquals("up", b.driver.findElement(By.id("node-gw-demo")).getAttribute("class"), "the other node stays green");
            b.screenshot("card-down");
        } finally {
            Files.write(secondCardFile, good);
        }
    }

    private static OnlineTerminal awaitOnline(String account, GatewayNode node) {
        String member = node.online().node();
        return await(account + " online on " + member).atMost(Duration.ofSeconds(10)).until(() -> site.node().online().all().stream()
                .filter(o -> o.account().equals(account) && o.node().equals(member) && o.listener().equals(GatewayNode.TRADING))
                .findFirst(), Optional::isPresent).get();
    }

    private static String serialOf(String account) throws Exception {
        try (var c = site.database().getConnection(); var ps = c.prepareStatement(
                "SELECT serial FROM ca_certificates WHERE account = ? AND kind = 'SIGN'")) {
            ps.setString(1, account);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a sign certificate for " + account);
                return rs.getString(1);
            }
        }
    }

    private static int adminPort() {
        return site.node().port("admin");
    }

    private static JsonObject get(String token, String path) throws Exception {
        HttpResponse<String> r = send("GET", token, path, null);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getJsonObject("result");
    }

    private static HttpResponse<String> send(String method, String token, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A demo trader enrolled through the site's :8090 and trading two-way through the given trading port. */
    private record Trader(GmgateClient.Session session, TlcpSocket channel, FrontClient front, String account) implements AutoCloseable {

        static Trader on(DemoSite site, String account, int tradingPort) throws IOException {
            char[] password = ("Trader-Passw0rd-" + account).toCharArray();
            site.addTrader(account, password);
            GmgateClient c = new GmgateClient(new GmgateClient.Options(
                    List.of(new Endpoint("demo", "127.0.0.1", site.enrolmentPort())),
                    List.of(new Endpoint("demo", "127.0.0.1", tradingPort)), List.of(site.root()),
                    site.directory().resolve("console-" + account), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
            c.enroll(account, password, "desk", PIN);
            GmgateClient.Session s = c.login(password, PIN);
            TlcpSocket channel = s.connect();
            FrontClient front = new FrontClient(channel.getInputStream(), channel.getOutputStream());
            assertEquals("OK LOGIN " + account, front.ask("LOGIN " + account));
            return new Trader(s, channel, front, account);
        }

        boolean stillTrades() {
            try {
                String answer = front.ask("ORDER c1 IF2612 BUY 1 LIMIT 3500");
                return answer != null && answer.startsWith("ACK " + account + " ");
            } catch (IOException | RuntimeException closed) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                session.close();
            }
        }
    }
}
