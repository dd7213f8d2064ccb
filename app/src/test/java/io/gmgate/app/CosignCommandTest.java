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
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

/** `gmgate accounts add|disable|enable|reset-password` and `gmgate cosign serve` against a real database. */
class CosignCommandTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    private static Path site;

    /** One card, CA and configuration for the class: the schema is the class's too. */
    private static synchronized Path setUp() throws Exception {
        if (site == null) {
            site = createSite();
        }
        return site;
    }

    private static Path createSite() throws Exception {
        Path pass = dir.resolve("card.pass");
        Files.writeString(pass, "a card passphrase\n");
        Path cardFile = dir.resolve("card.gmc");
        KeystoreSchema.migrate(PG.dataSource());
        try (SoftCipherCard card = SoftCipherCard.init(cardFile, "a card passphrase".toCharArray())) {
            EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, new PgCaStore(PG.dataSource()), Clock.systemUTC());
        }
        String url = PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name();
        Path config = dir.resolve("gmgate.yaml");
        Files.writeString(config, String.join("\n",
                "node: {name: cosign-test, site: site-a}",
                "database: {url: \"" + url + "\", user: " + PG.server().user() + ", poolSize: 4}",
                "card: {type: soft, path: \"" + cardFile + "\", passphraseFile: \"" + pass + "\"}",
                "cosign: {bindHost: 127.0.0.1, port: 0, workers: 4, firm: Example Futures, pinAttempts: 6}", ""));
        return config;
    }

    private static int run(CommandLine cli, StringWriter out, String... args) {
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    /** `gmgate cosign serve` running on a thread until its stop latch is counted down. */
    private record Serving(CosignCommand.Serve command, StringWriter out, Future<Integer> running) {
    }

    private static Serving serve(Path config) throws InterruptedException {
        CommandLine cli = Gmgate.commandLine();
        CosignCommand.Serve serve = cli.getSubcommands().get("cosign").getSubcommands().get("serve").getCommand();
        StringWriter serveOut = new StringWriter();
        Future<Integer> running = Executors.newSingleThreadExecutor().submit(() -> run(cli, serveOut, "cosign", "serve",
                "--config", config.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (serve.port == 0 && !running.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(serve.port > 0, serveOut::toString);
        return new Serving(serve, serveOut, running);
    }

    private static HttpResponse<String> login(int port, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("account", "alice").put("password", password).put("device", "pc-1").encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void accountsAreManagedFromTheCommandLineAndServeAnswersLogins() throws Exception {
        Path config = setUp();
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "initial-secret-1\n");
        StringWriter out = new StringWriter();
        assertEquals(0, run(Gmgate.commandLine(), out, "accounts", "add", "alice", "--config", config.toString(),
                "--password-file", pw.toString()), out::toString);
        assertEquals(1, run(Gmgate.commandLine(), out, "accounts", "add", "alice", "--config", config.toString(),
                "--password-file", pw.toString()), "a second add of the same account fails");
        assertTrue(out.toString().contains("KEY-107"), out::toString);

        Serving serving = serve(config);
        CosignCommand.Serve serve = serving.command();
        StringWriter serveOut = serving.out();
        Future<Integer> running = serving.running();
        try {
            HttpResponse<String> first = login(serve.port, "initial-secret-1");
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(new JsonObject(first.body()).getBoolean("mustChangePassword"));

            assertEquals(0, run(Gmgate.commandLine(), out, "accounts", "disable", "alice", "--config", config.toString()));
            HttpResponse<String> disabled = login(serve.port, "initial-secret-1");
            assertEquals(403, disabled.statusCode());
            assertEquals("COSIGN-111", new JsonObject(disabled.body()).getString("code"));

            assertEquals(0, run(Gmgate.commandLine(), out, "accounts", "enable", "alice", "--config", config.toString()));
            Files.writeString(pw, "second-secret-2\n");
            assertEquals(0, run(Gmgate.commandLine(), out, "accounts", "reset-password", "alice", "--config", config.toString(),
                    "--password-file", pw.toString()));
            assertEquals(401, login(serve.port, "initial-secret-1").statusCode());
            assertEquals(200, login(serve.port, "second-secret-2").statusCode());
            // the node's admin listener (docs/operations.md) counted them, with the outcome and the code
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (serve.adminPort == 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.adminPort
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("gmgate_cosign_requests_total{code=\"COSIGN-111\",op=\"login\"} 1.0"), metrics);
            assertTrue(metrics.contains("gmgate_cosign_logins_total{outcome=\"failed\"} 2.0"), metrics);
            assertTrue(metrics.contains("gmgate_cosign_logins_total{outcome=\"ok\"} 2.0"), metrics);
            assertTrue(metrics.contains("gmgate_cosign_db_pool{state=\"active\"}"), "the Hikari pool's gauges: " + metrics);
        } finally {
            serve.stop.countDown();
        }
        assertEquals(0, running.get(30, TimeUnit.SECONDS), serveOut::toString);
        assertTrue(serveOut.toString().contains("listening on http://127.0.0.1:"), serveOut::toString);
        assertTrue(serveOut.toString().contains("admin (metrics, health) on http://127.0.0.1:" + serve.adminPort), serveOut::toString);
    }

    private static HttpResponse<String> policy(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/policy"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPublishedPolicyIsHandedToTerminalsByEveryNodeAndItsSerialOnlyGrows() throws Exception {
        Path config = setUp();
        StringWriter out = new StringWriter();
        assertEquals(0, run(Gmgate.commandLine(), out, "policy", "key", "--config", config.toString()), out::toString);
        String policyKey = out.toString().substring(out.toString().indexOf("-----BEGIN"));
        Serving serving = serve(config);
        CosignCommand.Serve serve = serving.command();
        StringWriter serveOut = serving.out();
        Future<Integer> running = serving.running();
        try {
            HttpResponse<String> none = policy(serve.port);
            assertEquals(404, none.statusCode(), none.body());
            assertEquals("COSIGN-109", new JsonObject(none.body()).getString("code"));

            Path signed = dir.resolve("policy-5.bin");
            assertEquals(0, run(Gmgate.commandLine(), out, "policy", "sign", "--config", config.toString(), "--serial", "5",
                    "--mode", "ONE_WAY", "--enrolment", "sh=127.0.0.1:8090", "--trading", "sh=127.0.0.1:9000",
                    "--out", signed.toString()), out::toString);
            assertEquals(0, run(Gmgate.commandLine(), out, "policy", "publish", signed.toString(), "--config", config.toString()),
                    out::toString);
            HttpResponse<String> served = policy(serve.port);
            assertEquals(200, served.statusCode(), served.body());
            byte[] bytes = java.util.Base64.getDecoder().decode(new JsonObject(served.body()).getString("policy"));
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(signed), bytes), "served exactly as signed");
            io.gmgate.policy.AccessPolicy p = new io.gmgate.policy.AccessPolicyVerifier(
                    io.gmgate.crypto.GmPem.publicKeyFromPem(policyKey), Clock.systemUTC(), java.time.Duration.ofMinutes(5),
                    java.util.Optional.empty()).accept(bytes);
            assertEquals(io.gmgate.policy.AccessPolicy.Mode.ONE_WAY, p.mode());

            StringWriter again = new StringWriter();
            assertEquals(1, run(Gmgate.commandLine(), again, "policy", "publish", signed.toString(), "--config",
                    config.toString()), again::toString);
            assertTrue(again.toString().contains("MODE-306"), again::toString);
        } finally {
            serve.stop.countDown();
        }
        assertEquals(0, running.get(30, TimeUnit.SECONDS), serveOut::toString);
    }
}
