package io.gmgate.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.app.wiring.NodeAddresses;
import io.gmgate.app.wiring.NodeForwarding;
import io.gmgate.app.wiring.NodePolicy;
import io.gmgate.app.wiring.NodeStores;
import io.gmgate.app.wiring.NodeTls;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.gateway.admin.Role;
import io.gmgate.session.NodeVertx;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterIdentity;
import io.gmgate.session.PgPolicyStore;
import io.gmgate.session.ClusterSettings;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.CosignNode;
import io.gmgate.cosign.CosignSettings;
import io.gmgate.cosign.identity.BuiltinIdentityVerifier;
import io.gmgate.cosign.identity.PasswordHash;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.TradingFront;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.TlcpCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.gmgate.ports.ReservedPort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A whole pattern-A site in one process on 127.0.0.1, on embedded defaults: PostgreSQL, a software
 * cipher card, the embedded CA, a cosign node, a gateway node in its own one-member cluster — :8090
 * (one-way TLCP → cosign), :9000 (two-way TLCP, or TLS 1.3 → trading front), the bypass listener that
 * follows the access mode, the admin API — on free ports, and a stand-in trading front.
 */
public final class DemoSite implements AutoCloseable {

    static final String FIRM = "Demo Futures";
    static final int GATEWAY_SIGN_KEY = 201;
    static final int GATEWAY_ENC_KEY = 202;

    private final Path dir;
    private final EmbeddedPostgres postgres;
    private final com.zaxxer.hikari.HikariDataSource pool;
    private final DataSource dataSource;
    private final SoftCipherCard card;
    private final Vertx vertx;
    private final CosignNode cosign;
    private final PgShardStore shards;
    private final EmbeddedCa ca;
    private final DemoTradingFront front;
    private final ClusterSettings clusterSettings;
    private final ClusterNode cluster;
    private final GatewayNode node;
    private final GatewayNode.Parts parts;
    private final List<GatewayNode> extraNodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String sreToken;
    private final String keyOperatorToken;
    private final String viewerToken;
    private final List<ClusterNode> extraMembers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final int enrolmentPort;
    private final int tradingPort;
    private final int frontPort;
    private final int cosignPort;
    private final int cosignAdminPort;
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry cosignMetrics =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);

    public DemoSite() throws IOException {
        this(part -> { });
    }

    /** Starts the site, telling {@code progress} as each part comes up (the slow start is not silent). */
    public DemoSite(java.util.function.Consumer<String> progress) throws IOException {
        // every demo terminal comes from 127.0.0.1 too, so the per-source caps are set for a load test
        this(progress, s -> s, io.gmgate.cosign.http.ListenerLimits.defaults().withConnections(50_000, 50_000, 10_000));
    }

    /** A site whose cosign node runs with {@code cosignTweak}ed settings and these listener limits (the attack tests). */
    public DemoSite(java.util.function.Consumer<String> progress, java.util.function.UnaryOperator<CosignSettings> cosignTweak,
                    io.gmgate.cosign.http.ListenerLimits cosignListener) throws IOException {
        this(progress, cosignTweak, cosignListener, Duration.ofSeconds(120));
    }

    /** As above, with request nonces that live {@code nonceLife} (a terminal idle longer must fetch a new one). */
    public DemoSite(java.util.function.Consumer<String> progress, java.util.function.UnaryOperator<CosignSettings> cosignTweak,
                    io.gmgate.cosign.http.ListenerLimits cosignListener, Duration nonceLife) throws IOException {
        long started = System.nanoTime();
        dir = Files.createTempDirectory("gmgate-demo");
        // A reserved port, not one zonky finds free and releases: between its check and PostgreSQL's bind
        // another site's server (a second build, another demo) could take it, and this site would then
        // talk to that server without noticing.
        // and up to 90 s to start: beside another build a 2-core machine takes longer than zonky's 10 s
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true)
                .setPort(ReservedPort.forThisJvm()).setPGStartupWait(Duration.ofSeconds(90)).start();
        // pooled as `gmgate serve` pools (PgPool): an unpooled DataSource opened a PostgreSQL connection per
        // query, ~8 per co-signed login on the gateway alone, and the load figures measured that instead
        pool = io.gmgate.keystore.PgPool.open(new io.gmgate.keystore.PgPoolSettings("demo",
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 20, Duration.ofSeconds(5)));
        DataSource ds = pool;
        dataSource = ds;
        KeystoreSchema.migrate(ds);
        progress.accept(since(started) + "PostgreSQL up, key store schema in place");
        card = SoftCipherCard.init(dir.resolve("card.gmc"), "demo card passphrase".toCharArray());
        Clock clock = Clock.systemUTC();
        // 80-day certificates, so the online renewal window (90 days before expiry, docs/ca-client.md, "Renewal") is open at once
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults(FIRM).withLeafValidity(Duration.ofDays(80)), card, new PgCaStore(ds), clock);

        card.generateSm2Key(GATEWAY_SIGN_KEY);
        card.generateSm2Key(GATEWAY_ENC_KEY);
        IssuedCertificates gw = ca.issueGateway("gateway", new X500Name("CN=gateway,O=" + FIRM + ",C=CN"),
                card.sm2PublicKey(GATEWAY_SIGN_KEY), card.sm2PublicKey(GATEWAY_ENC_KEY),
                // the names the demo's terminals dial: GmSSL clients match DNS names only, ours match either
                List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));

        progress.accept(since(started) + "software cipher card and embedded CA ready; gateway certificates issued");
        // the gateway relays from 127.0.0.1 with a PROXY header naming the terminal
        CosignSettings settings = cosignTweak.apply(CosignSettings.defaults("cosign-demo")
                .withTrustedProxies(java.util.Set.of("127.0.0.1")));
        shards = new PgShardStore(ds, card, ShardStoreSettings.defaults()
                .withPinLockThreshold(settings.shardStoreLockThreshold()));
        cosign = CosignNode.create(new CosignNode.Parts(settings, ds, card, 1, shards, shards.audit(), ca,
                BuiltinIdentityVerifier::new, new InProcessLoginSessions(clock, Duration.ofMinutes(15), Duration.ofHours(12)),
                new InProcessNonces(clock, nonceLife, 64),
                clock, PasswordHash.MIN_ITERATIONS, nonceLife, Duration.ofMinutes(15),
                new PgPolicyStore(ds)::newest), new io.gmgate.cosign.CosignMeters(cosignMetrics));
        io.gmgate.app.wiring.CosignGauges.register(cosignMetrics, ds, Optional.empty());

        progress.accept(since(started) + "cosign node ready");
        // a cluster of its own on a free port: two demos (or test classes) on one host never merge
        clusterSettings = ClusterSettings.loopback(freePort(), ClusterIdentity.random("demo-" + UUID.randomUUID()));
        cluster = await(ClusterNode.start(clusterSettings, NodeVertx.options()));
        vertx = cluster.vertx();
        cosignPort = await(cosign.listen(vertx, "127.0.0.1", 0, 4, cosignListener));
        // the cosign node's /metrics and health, as `gmgate cosign serve` runs them (the console prints the address)
        cosignAdminPort = await(new io.gmgate.cosign.http.CosignAdminServer(vertx, cosignMetrics::scrape, cosign::readyToServe)
                .listen("127.0.0.1", 0));
        front = new DemoTradingFront(vertx);
        frontPort = await(front.listen());

        TlcpCredentials credentials = new TlcpCredentials(gw.sign(), Optional.of(gw.enc()), ca.chain(),
                Sm2SignKey.onCard(card, GATEWAY_SIGN_KEY), Optional.of(Sm2Decryptor.onCard(card, GATEWAY_ENC_KEY)),
                Optional.empty());
        // The gateway's encryption key lives in the card, so the ECDHE suites (which need it whole) are off.
        List<CipherSuite> suites = List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3);
        // every demo terminal comes from 127.0.0.1, so per-address limits are set for a load test, not a street
        AdmissionPolicy admission = new AdmissionPolicy(50_000, 10_000, 10_000, 10_000, 10_000, 65_536, Duration.ofMinutes(30));
        sreToken = java.util.HexFormat.of().formatHex(io.gmgate.crypto.GmRandom.bytes(16));
        keyOperatorToken = java.util.HexFormat.of().formatHex(io.gmgate.crypto.GmRandom.bytes(16));
        viewerToken = java.util.HexFormat.of().formatHex(io.gmgate.crypto.GmRandom.bytes(16));
        AdminTokens tokens = AdminTokens.parse(List.of(AdminTokens.line(sreToken, "demo-sre", java.util.EnumSet.of(Role.SRE)),
                AdminTokens.line(keyOperatorToken, "demo-key-operator", java.util.EnumSet.of(Role.KEY_OPERATOR)),
                AdminTokens.line(viewerToken, "demo-viewer", java.util.EnumSet.of(Role.VIEWER))),
                "demo");
        parts = new GatewayNode.Parts("gw-demo", "demo", NodeAddresses.freePorts("127.0.0.1"),
                new NodeTls(credentials, List.of(ca.rootCertificate()), suites, true, false),
                new NodeForwarding(List.of(new TradingFront("demo-front", "127.0.0.1", frontPort)),
                        List.of(new TradingFront("cosign-demo", "127.0.0.1", cosignPort)), Duration.ofSeconds(2),
                        Duration.ofSeconds(5)),
                new NodeStores(ds, card, 1, shards, tokens),
                NodePolicy.of(admission, Duration.ofMillis(500), clock));
        node = await(GatewayNode.start(parts, cluster));
        enrolmentPort = node.port(GatewayNode.ENROLMENT);
        tradingPort = node.port(GatewayNode.TRADING);
        progress.accept(since(started) + "trading front simulator and gateway node listening");
    }

    private static String since(long started) {
        return String.format("%6.1f s  ", (System.nanoTime() - started) / 1e9);
    }

    /** Adds a built-in trader account whose password needs no change. */
    public void addTrader(String account, char[] password) {
        cosign.accounts().addBuiltin(account, password, "demo");
        cosign.accounts().setPassword(account, password, false);
    }

    /** Publishes a signed access policy as {@code gmgate policy publish} does: the cosign node hands it out at POST /v1/policy. */
    public void publishPolicy(long serial, byte[] signed) {
        new PgPolicyStore(dataSource).publish(serial, signed, "demo-sre");
    }

    public int enrolmentPort() {
        return enrolmentPort;
    }

    /** The cosign node's own port (the gateway's :8090 relays to it from 127.0.0.1, with a PROXY header). */
    public int cosignPort() {
        return cosignPort;
    }

    /** The cosign node's admin listener: GET /metrics (Prometheus) and /health/ready. */
    public int cosignAdminPort() {
        return cosignAdminPort;
    }

    /** The cosign node's meters (what its /metrics serves). */
    public io.micrometer.core.instrument.MeterRegistry cosignMetrics() {
        return cosignMetrics;
    }

    public int frontPort() {
        return frontPort;
    }

    public int tradingPort() {
        return tradingPort;
    }

    public X509CertificateHolder root() {
        return ca.rootCertificate();
    }

    /** The gateway node: its mode registry, bypass listener and admin port. */
    public GatewayNode node() {
        return node;
    }

    /**
     * Starts another gateway node of the same site and cluster, on free ports — a second node for a
     * terminal to fail over to — whose trading listener relays to {@code frontPort} (the demo front's
     * port, or a dead port to show a front failure). Closed with the site, or earlier by the caller.
     */
    public GatewayNode addGatewayNode(String name, int frontPort) {
        return addGatewayNode(name, frontPort, parts.policy().clock());
    }

    /**
     * The same, on its own clock: a node whose clock runs ahead sees today's certificates as they
     * will be then — an expired certificate without waiting for one to expire.
     */
    public GatewayNode addGatewayNode(String name, int frontPort, Clock clock) {
        GatewayNode.Parts p = parts;
        NodeForwarding f = p.forwarding();
        GatewayNode extra = await(GatewayNode.start(new GatewayNode.Parts(name, p.site(),
                NodeAddresses.freePorts(p.addresses().bindHost()), p.tls(),
                new NodeForwarding(List.of(new TradingFront("front-of-" + name, "127.0.0.1", frontPort)), f.cosignNodes(),
                        f.connectTimeout(), f.probeInterval()),
                p.stores(), p.policy().withClock(clock)), cluster));
        extraNodes.add(extra);
        return extra;
    }

    /**
     * Starts a gateway node of the same site in a cluster member of its own (its own Vert.x and
     * Hazelcast member, as a second host would run), whose gateway keys are used from {@code card}
     * — a copy of the site's card file, so that one node's card can fail alone. Closed with the site.
     */
    public GatewayNode addClusterMember(String name, io.gmgate.crypto.card.CipherCard card) {
        GatewayNode.Parts p = parts;
        ClusterNode member = await(ClusterNode.start(clusterSettings, NodeVertx.options()));
        extraMembers.add(member);
        NodeTls tls = p.tls();
        NodeStores stores = p.stores();
        TlcpCredentials c = tls.credentials();
        TlcpCredentials own = new TlcpCredentials(c.signCertificate(), c.encCertificate(), c.caCertificates(),
                Sm2SignKey.onCard(card, GATEWAY_SIGN_KEY), Optional.of(Sm2Decryptor.onCard(card, GATEWAY_ENC_KEY)), Optional.empty());
        GatewayNode extra = await(GatewayNode.start(new GatewayNode.Parts(name, p.site(),
                NodeAddresses.freePorts(p.addresses().bindHost()),
                new NodeTls(own, tls.trustRoots(), tls.suites(), tls.tls13(), tls.acceptExternalWholeKeys()), p.forwarding(),
                new NodeStores(stores.database(), card, stores.auditKek(), stores.shards(), stores.adminTokens()),
                p.policy()), member));
        extraNodes.add(extra);
        return extra;
    }

    /**
     * The site's software cipher card (its file is {@code directory()/card.gmc}), shared by its cosign and
     * gateway nodes as an HSM would be (KEK rotation tests).
     */
    public SoftCipherCard card() {
        return card;
    }

    /**
     * How the site's members join, its cluster secret included: what a test needs to play an
     * insider member (docs/security.md, The cluster).
     */
    public ClusterSettings clusterSettings() {
        return clusterSettings;
    }

    public ClusterNode cluster() {
        return cluster;
    }

    /** A free loopback port to start the Hazelcast port search from; Hazelcast counts up if it is taken by then. */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() > 65_000 ? 45_000 : s.getLocalPort();
        }
    }

    /** A bearer token with the SRE role for the demo's admin API. */
    public String sreToken() {
        return sreToken;
    }

    /** A bearer token with the read-only VIEWER role (the console's overview, modes, terminals and charts). */
    public String viewerToken() {
        return viewerToken;
    }

    /** A bearer token with the KEY_OPERATOR role (certificate lock and unlock) for the demo's admin API. */
    public String keyOperatorToken() {
        return keyOperatorToken;
    }

    /** The site's database (key store, CA, cosign and session tables). */
    public DataSource database() {
        return parts.stores().database();
    }

    public PgShardStore shards() {
        return shards;
    }

    public EmbeddedCa ca() {
        return ca;
    }

    public DemoTradingFront front() {
        return front;
    }

    public Path directory() {
        return dir;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("demo site did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (GatewayNode n : extraNodes) {
                try {
                    n.close();
                } catch (RuntimeException ignored) {
                    // closed by the test already
                }
            }
            node.close();
            for (ClusterNode m : extraMembers) {
                try {
                    m.close();
                } catch (RuntimeException ignored) {
                    // left already
                }
            }
            cluster.close();
        } catch (RuntimeException ignored) {
            // already closing
        }
        cosign.close();
        card.close();
        pool.close();
        postgres.close();
    }
}
