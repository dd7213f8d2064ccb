package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.session.AccessMode;
import io.gmgate.testkit.PgSchema;
import picocli.CommandLine;

/** From an empty database to a running gateway node: ca init, a YAML file, serve, mode set/show. */
class ServeCommandTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void aNodeStartsFromItsConfigurationAndFollowsTheModeCli() throws Exception {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 1\n");
        SoftCipherCard.init(card, "operator passphrase 1".toCharArray()).close();
        Path pki = dir.resolve("pki");
        String url = PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name()
                + "&password=" + PG.server().password();
        StringWriter init = new StringWriter();
        assertEquals(0, run(init, "ca", "init", "--card", card.toString(), "--passphrase-file", pass.toString(), "--db-url",
                url + "&user=" + PG.server().user(), "--firm", "Example Futures", "--out", pki.toString(), "--gateway-ip",
                "127.0.0.1", "--gateway-dns", "localhost"), init.toString());
        Path yaml = Files.writeString(dir.resolve("gmgate.yaml"), String.join("\n",
                "node: {name: gw-test, site: sh}",
                "database: {url: '" + url + "', user: " + PG.server().user() + "}",
                "card: {type: soft, path: '" + card + "', passphraseFile: '" + pass + "'}",
                // a free port and no secret file: a cluster of its own, which no other build on the host joins
                "cluster: {host: 127.0.0.1, port: " + io.gmgate.testkit.ClusterPorts.freeBase() + ", name: serve-test, "
                        + "modeRefresh: 300ms}",
                "gateway:",
                "  bindHost: 127.0.0.1",
                "  trading: {port: 0, fronts: [{name: f, host: 127.0.0.1, port: 1}]}",
                "  enrolment: {port: 0}",
                "  bypass: {port: 0}",
                "  admin: {port: 0}",
                "  tlcp:",
                "    signCertificate: '" + pki.resolve("gateway-sign.pem") + "'",
                "    encCertificate: '" + pki.resolve("gateway-enc.pem") + "'",
                "    chain: '" + pki.resolve("ca-chain.pem") + "'",
                "    trustRoots: '" + pki.resolve("root.pem") + "'",
                ""));
        GmgateConfig cfg = GmgateConfig.load(yaml);
        try (ServeCommand.Running node = ServeCommand.start(cfg, cfg.gateway().orElseThrow(),
                io.gmgate.app.wiring.CardSecrets.of("operator passphrase 1".toCharArray()))) {
            assertTrue(node.describe().contains("mode NORMAL"), node.describe());
            assertTrue(node.describe().matches(".*; transport (epoll|nio \\(.*\\)); mode NORMAL"), node.describe());
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.node().port("admin") + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());

            StringWriter set = new StringWriter();
            assertEquals(0, run(set, "mode", "set", "BYPASS", "--config", yaml.toString(), "--reason", "drill C.1",
                    "--ttl", "10m", "--operator", "alice"), set.toString());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!node.node().bypassOpen() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(node.node().bypassOpen(), "the node opened its bypass listener");
            assertEquals(AccessMode.BYPASS, node.node().modes().effective(GatewayNode.TRADING));
            StringWriter show = new StringWriter();
            assertEquals(0, run(show, "mode", "show", "--config", yaml.toString()), show.toString());
            assertTrue(show.toString().contains("cluster: BYPASS") && show.toString().contains("NORMAL -> BYPASS  by alice — drill C.1"),
                    show.toString());
        }
    }
}
