package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoTradingFront;
import io.gmgate.policy.Rollout;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.TradingFront;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.gateway.admin.Role;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSettings;
import io.gmgate.testkit.PgSchema;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.TlcpSocket;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Three gateway nodes in one cluster on loopback, sharing PostgreSQL and a card file: the access
 * mode switch, the bypass listener, resumption across nodes, and a node that dies under a terminal.
 */
class GatewayClusterTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();
    @TempDir
    static Path dir;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki TRADERS = TestPki.create("hardware-token CA");
    private static final TestPki.DoubleCert TRADER = TRADERS.issueDouble("8001234");
    private static final String SRE_TOKEN = "sre-token-for-tests";
    private static final ClusterSettings CLUSTER = ClusterSettings.loopback(io.gmgate.testkit.ClusterPorts.freeBase(),
            io.gmgate.session.ClusterIdentity.random("gateway-cluster-test"));

    private static SoftCipherCard card;
    private static EmbeddedCa ca;
    private static IssuedCertificates gw;
    private static Vertx frontVertx;
    private static DemoTradingFront front;
    private static int frontPort;
    private static final List<ClusterNode> clusters = new ArrayList<>();
    private static final List<GatewayNode> gateways = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.gmc"), "cluster test passphrase".toCharArray());
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Test Futures"), card, new PgCaStore(PG.dataSource()), Clock.systemUTC());
        card.generateSm2Key(201);
        card.generateSm2Key(202);
        gw = ca.issueGateway("gateway", new X500Name("CN=gateway,O=Test Futures,C=CN"), card.sm2PublicKey(201),
                card.sm2PublicKey(202), List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        frontVertx = Vertx.vertx();
        front = new DemoTradingFront(frontVertx);
        frontPort = front.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            startNode(i);
        }
    }

    private static void startNode(int i) throws Exception {
        startNode(i, Rollout.EVERYONE);
    }

    private static void startNode(int i, Rollout rollout) throws Exception {
        ClusterNode cluster = ClusterNode.start(CLUSTER, new VertxOptions().setEventLoopPoolSize(2)
                .setWorkerPoolSize(8)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        PgShardStore shards = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
        AdminTokens tokens = AdminTokens.parse(List.of(AdminTokens.line(SRE_TOKEN, "alice", EnumSet.of(Role.SRE))), "test");
        TlcpCredentials creds = new TlcpCredentials(gw.sign(), Optional.of(gw.enc()), ca.chain(), Sm2SignKey.onCard(card, 201),
                Optional.of(Sm2Decryptor.onCard(card, 202)), Optional.of(io.gmgate.tlcp.Sm2KeyAgreement.onCard(card, 202)));
        GatewayNode.Parts parts = new GatewayNode.Parts("gw-" + i, "sh", NodeAddresses.freePorts("127.0.0.1"),
                new NodeTls(creds, List.of(TRADERS.rootCertificate()), List.of(CipherSuite.ECC_SM4_GCM_SM3,
                        CipherSuite.ECC_SM4_CBC_SM3, CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3), true, true),
                new NodeForwarding(List.of(new TradingFront("demo", "127.0.0.1", frontPort)), List.of(), Duration.ofSeconds(2),
                        Duration.ofSeconds(5)),
                new NodeStores(PG.dataSource(), card, 1, shards, tokens),
                NodePolicy.of(AdmissionPolicy.defaults(), Duration.ofMillis(300), Clock.systemUTC()).withRollout(rollout));
        clusters.add(cluster);
        gateways.add(GatewayNode.start(parts, cluster).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = 0; i < gateways.size(); i++) {
            try {
                gateways.get(i).close();
                clusters.get(i).close();
            } catch (RuntimeException alreadyStopped) {
                // the kill test stopped it
            }
        }
        frontVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        card.close();
    }

    @BeforeEach
    void normal() throws Exception {
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("DELETE FROM gm_access_modes"); // every scope back to the default, NORMAL
        }
        for (GatewayNode g : live()) {
            await("NORMAL everywhere", () -> g.modes().effective("trading") == AccessMode.NORMAL && !g.bypassOpen(),
                    Duration.ofSeconds(5));
        }
    }

    private static List<GatewayNode> live() {
        List<GatewayNode> out = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            if (clusters.get(i) != null) {
                out.add(gateways.get(i));
            }
        }
        return out;
    }

    private static void setMode(int node, String scope, String mode) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateways.get(node).port("admin") + "/admin/v1/mode"))
                .header("Authorization", "Bearer " + SRE_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scope\":\"" + scope + "\",\"mode\":\"" + mode
                        + "\",\"reason\":\"test\",\"ttl\":\"PT10M\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static long await(String what, BooleanSupplier ok, Duration deadline) throws InterruptedException {
        long start = System.nanoTime();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() - start > deadline.toNanos()) {
                throw new AssertionError(what + " within " + deadline);
            }
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static TlcpClientConfig terminal(boolean withCertificate) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3),
                withCertificate ? Optional.of(TlcpCredentials.inMemory(TRADER.sign().certificate(), TRADER.sign().key(),
                        TRADER.enc().certificate(), TRADER.enc().key(), List.of())) : Optional.empty(),
                new X509CertificatePolicy(List.of(ca.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
    }

    private static TlcpSocket connect(int node, TlcpClientConfig cfg) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), gateways.get(node).port("trading"));
        raw.setSoTimeout(10_000);
        return TlcpSocket.client(raw, cfg).handshake();
    }

    private static String order(TlcpSocket s, String order) throws IOException {
        s.getOutputStream().write((order + "\n").getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    /** Seed 003 C.2: a node whose card is lost drops readiness and refuses new terminals until the card is back. */
    @Test
    void aNodeWhoseCardIsLostRefusesNewTerminalsAndIsNotReady() throws Exception {
        Path file = dir.resolve("card.gmc");
        byte[] saved = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.delete(file);
        try {
            await("card down on node 0", () -> {
                try {
                    connect(0, terminal(true)).close();
                    return false;
                } catch (IOException | RuntimeException refused) {
                    return true;
                }
            }, Duration.ofSeconds(10));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + gateways.get(0).port("admin") + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("gone or unreadable"), ready.body());
        } finally {
            java.nio.file.Files.write(file, saved);
        }
        for (GatewayNode g : live()) { // the nodes share the card file: every one lost it and must see it back
            int node = gateways.indexOf(g);
            await("card back on node " + node, () -> {
                try (TlcpSocket s = connect(node, terminal(true))) {
                    return "OK LOGIN 8001234".equals(order(s, "LOGIN 8001234"));
                } catch (IOException | RuntimeException notYet) {
                    return false;
                }
            }, Duration.ofSeconds(10));
        }
    }

    @Test
    void bypassOpensOnEveryNodeAndClosesAgain() throws Exception {
        long started = System.nanoTime();
        setMode(0, "cluster", "BYPASS");
        for (GatewayNode g : live()) {
            await("bypass open", g::bypassOpen, Duration.ofSeconds(5));
        }
        System.out.println("BYPASS reached every node in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        GatewayNode last = live().get(live().size() - 1);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), last.port("bypass"))) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("LOGIN 8009999\n".getBytes(StandardCharsets.US_ASCII));
            String ack = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("OK LOGIN 8009999", ack, "plain path, no verified identity: any login is taken");
        }
        assertEquals("BYPASS", front.headers().get(front.headers().size() - 1)
                .tlv(io.gmgate.proxy.ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).orElseThrow().text());
        setMode(1, "cluster", "NORMAL");
        for (GatewayNode g : live()) {
            await("bypass closed", () -> !g.bypassOpen(), Duration.ofSeconds(5));
        }
    }

    @Test
    void tls13WithTheSmSuiteIsServedOnTheSameTradingPort() throws Exception {
        var creds = new io.gmgate.tlcp.tls13.Tls13Credentials(List.of(TRADER.sign().certificate()),
                Sm2SignKey.of(TRADER.sign().key()));
        var engine = io.gmgate.tlcp.tls13.Tls13Engine.client("tls13-terminal", new io.gmgate.tlcp.tls13.Tls13ClientConfig(
                List.of(ca.rootCertificate()), creds, "127.0.0.1", Clock.systemUTC(), RANDOM));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateways.get(0).port("trading"))) {
            s.setSoTimeout(10_000);
            var in = s.getInputStream();
            var out = s.getOutputStream();
            byte[] buf = new byte[32 * 1024];
            out.write(engine.takeOutput());
            for (int i = 0; i < 50 && !engine.isHandshakeComplete(); i++) {
                int n = in.read(buf);
                assertTrue(n > 0, "the gateway answered the TLS 1.3 ClientHello");
                engine.feed(java.util.Arrays.copyOf(buf, n));
                out.write(engine.takeOutput());
            }
            assertTrue(engine.isHandshakeComplete());
            engine.write("LOGIN 8001234\n".getBytes(StandardCharsets.US_ASCII));
            out.write(engine.takeOutput());
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 50 && line.indexOf("\n") < 0; i++) {
                int n = in.read(buf);
                engine.feed(java.util.Arrays.copyOf(buf, n));
                line.append(new String(engine.read(), StandardCharsets.US_ASCII));
            }
            assertEquals("OK LOGIN 8001234", line.toString().trim(), "the verified account logs in");
        }
    }

    @Test
    void oneWayLetsATerminalWithoutACertificateInAndTwoWaySessionsKeepRunning() throws Exception {
        assertThrows(TlcpException.class, () -> connect(0, terminal(false)).close(), "NORMAL demands two-way");
        try (TlcpSocket kept = connect(gateways.indexOf(live().get(0)), terminal(true))) {
            BufferedReader answers = new BufferedReader(new InputStreamReader(kept.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("OK LOGIN 8001234", send(kept, answers, "LOGIN 8001234"));
            setMode(0, "listener:trading", "ONE_WAY");
            for (GatewayNode g : live()) {
                await("ONE_WAY", () -> g.modes().effective("trading") == AccessMode.ONE_WAY, Duration.ofSeconds(5));
            }
            try (TlcpSocket s = connect(live().size() - 1, terminal(false))) {
                assertEquals("OK LOGIN 8009999", order(s, "LOGIN 8009999"), "no verified identity: any login is taken");
            }
            assertTrue(send(kept, answers, "ORDER k1 IF2612 BUY 1 LIMIT 3500").startsWith("ACK 8001234 "),
                    "a two-way session opened in NORMAL keeps trading across NORMAL -> ONE_WAY");
            setMode(0, "listener:trading", "NORMAL");
            for (GatewayNode g : live()) {
                await("NORMAL", () -> g.modes().effective("trading") == AccessMode.NORMAL, Duration.ofSeconds(5));
            }
            assertTrue(send(kept, answers, "ORDER k2 IF2612 BUY 1 LIMIT 3500").startsWith("ACK 8001234 "), "and back");
        }
    }

    private static String send(TlcpSocket s, BufferedReader answers, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return answers.readLine();
    }

    @Test
    void aTerminalResumesOnAnotherNodeAndSurvivesItsNodeDying() throws Exception {
        SessionState session;
        try (TlcpSocket first = connect(0, terminal(true))) {
            assertEquals("OK LOGIN 8001234", order(first, "LOGIN 8001234"));
            session = first.engine().session().orElseThrow();
            assertFalse(first.engine().resumed());
        }
        try (TlcpSocket second = connect(1, terminal(true).resuming(session))) {
            assertTrue(second.engine().resumed(), "abbreviated handshake on another node");
            assertEquals("OK LOGIN 8001234", order(second, "LOGIN 8001234"));
        }
        TlcpSocket onDoomed = connect(2, terminal(true).resuming(session));
        assertEquals("OK LOGIN 8001234", order(onDoomed, "LOGIN 8001234"));
        gateways.get(2).close();
        clusters.get(2).close();
        clusters.set(2, null);
        String lost;
        try {
            lost = order(onDoomed, "POSITIONS");
        } catch (IOException | RuntimeException e) {
            lost = null;
        }
        assertEquals(null, lost, "its node is gone: no answer");
        onDoomed.socket().close();
        try (TlcpSocket again = connect(1, terminal(true).resuming(session))) {
            assertTrue(again.engine().resumed(), "the survivor still has the session");
            assertEquals("OK LOGIN 8001234", order(again, "LOGIN 8001234"));
        }
    }

    @Test
    void everyNodeSeesWhoIsOnlineWhereAndTheirBytesWhileConnected() throws Exception {
        GatewayNode carrier = live().get(0);
        GatewayNode other = live().get(live().size() - 1);
        int node = gateways.indexOf(carrier);
        try (TlcpSocket s = connect(node, terminal(true))) {
            assertNotNull(order(s, "BUY 7"));
            await("the other node sees the terminal's bytes both ways", () -> other.online().all().stream().anyMatch(t ->
                    t.account().equals("8001234") && t.node().equals(carrier.online().node()) && t.listener().equals("trading")
                            && t.bytesUp() > 0 && t.bytesDown() > 0), Duration.ofSeconds(25));
        }
        await("gone from the registry once closed", () -> other.online().all().stream()
                .noneMatch(t -> t.account().equals("8001234")), Duration.ofSeconds(10));
    }

    @Test
    void duringAGradualRolloutThePlainPathStaysOpenInNormalModeAndTheFrontIsToldSo() throws Exception {
        int i = gateways.size();
        startNode(i, new Rollout(Set.of("8001234"), 20));
        GatewayNode rolling = gateways.get(i);
        try {
            await("the plain path is open for accounts not yet on GM", rolling::bypassOpen, Duration.ofSeconds(5));
            assertEquals(AccessMode.NORMAL, rolling.modes().effective("trading"));
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), rolling.port("bypass"))) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write("LOGIN 8001234\n".getBytes(StandardCharsets.US_ASCII));
                String refused = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertTrue(refused.startsWith("ERR FRONT-315"), "an account the rollout requires cannot log in plain: " + refused);
            }
            io.gmgate.proxy.ProxyV2Header last = front.headers().get(front.headers().size() - 1);
            assertEquals("NORMAL", last.tlv(io.gmgate.proxy.ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).orElseThrow().text(),
                    "the front learns this plain connection is not an emergency: it applies the rollout to the login");
            assertTrue(last.tlv(io.gmgate.proxy.ProxyV2Header.TYPE_GMGATE_ACCOUNT).isEmpty());
            assertThrows(TlcpException.class, () -> connect(i, terminal(false)).close(), "the GM port still demands two-way");
        } finally {
            rolling.close();
            clusters.get(i).close();
            clusters.set(i, null);
        }
    }

    @Test
    void closeReturnsOnlyOnceEveryListenerHasLetGoOfItsPort() throws Exception {
        int i = gateways.size();
        startNode(i, new Rollout(Set.of(), 20)); // an incomplete rollout keeps the bypass listener open as well
        GatewayNode closing = gateways.get(i);
        await("the bypass listener is open", closing::bypassOpen, Duration.ofSeconds(5));
        List<Integer> ports = List.of(closing.port("trading"), closing.port("admin"), closing.port("bypass"));
        try {
            closing.close();
            // probed before the cluster's Vert.x stops, which would close the servers anyway
            for (int port : ports) {
                assertThrows(java.net.ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                        "port " + port + " still accepts once close() has returned");
            }
        } finally {
            clusters.get(i).close();
            clusters.set(i, null);
        }
        closing.close(); // a second close is a no-op, not an error
    }

    @Test
    void theEcdheSuitesWorkWithTheGatewaysEncryptionKeyInTheCard() throws Exception {
        for (CipherSuite suite : List.of(CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3)) {
            TlcpClientConfig whole = new TlcpClientConfig(List.of(suite), Optional.of(TlcpCredentials.inMemory(
                    TRADER.sign().certificate(), TRADER.sign().key(), TRADER.enc().certificate(), TRADER.enc().key(), List.of())),
                    new X509CertificatePolicy(List.of(ca.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                    EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
            try (TlcpSocket s = connect(gateways.indexOf(live().get(0)), whole)) {
                assertEquals(suite, s.engine().suite());
                assertNotNull(order(s, "BUY 11"));
            }
        }
    }
}
