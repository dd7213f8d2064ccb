package io.gmgate.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.wiring.CertificateGate;
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
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.AdmissionControl;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.ConnectionObserver;
import io.gmgate.gateway.FrontConnector;
import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.GmListener;
import io.gmgate.gateway.HandshakePolicy;
import io.gmgate.gateway.IdentityResolver;
import io.gmgate.gateway.TradingFront;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.tls13.Sm2SignKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A whole pattern-A site in one process on 127.0.0.1, on embedded defaults: PostgreSQL, a software
 * cipher card, the embedded CA, a cosign node, the gateway's :8090 (one-way TLCP → cosign) and :9000
 * (two-way TLCP → trading front) listeners on free ports, and a stand-in trading front.
 */
public final class DemoSite implements AutoCloseable {

    static final String FIRM = "Demo Futures";
    static final int GATEWAY_SIGN_KEY = 201;
    static final int GATEWAY_ENC_KEY = 202;

    private final Path dir;
    private final EmbeddedPostgres postgres;
    private final SoftCipherCard card;
    private final Vertx vertx;
    private final CosignNode cosign;
    private final PgShardStore shards;
    private final EmbeddedCa ca;
    private final DemoTradingFront front;
    private final GmListener enrolment;
    private final GmListener trading;
    private final int enrolmentPort;
    private final int tradingPort;
    private final int frontPort;

    public DemoSite() throws IOException {
        dir = Files.createTempDirectory("gmgate-demo");
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
        DataSource ds = postgres.getPostgresDatabase();
        KeystoreSchema.migrate(ds);
        card = SoftCipherCard.init(dir.resolve("card.gmc"), "demo card passphrase".toCharArray());
        Clock clock = Clock.systemUTC();
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults(FIRM), card, new PgCaStore(ds), clock);

        card.generateSm2Key(GATEWAY_SIGN_KEY);
        card.generateSm2Key(GATEWAY_ENC_KEY);
        IssuedCertificates gw = ca.issueGateway("gateway", new X500Name("CN=gateway,O=" + FIRM + ",C=CN"),
                card.sm2PublicKey(GATEWAY_SIGN_KEY), card.sm2PublicKey(GATEWAY_ENC_KEY),
                List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));

        CosignSettings settings = CosignSettings.defaults("cosign-demo");
        shards = new PgShardStore(ds, card, ShardStoreSettings.defaults()
                .withPinLockThreshold(settings.shardStoreLockThreshold()));
        cosign = CosignNode.create(new CosignNode.Parts(settings, ds, card, 1, shards, shards.audit(), ca,
                BuiltinIdentityVerifier::new, new InProcessLoginSessions(clock, Duration.ofMinutes(15), Duration.ofHours(12)),
                new InProcessNonces(clock, Duration.ofSeconds(120), 64),
                clock, PasswordHash.MIN_ITERATIONS, Duration.ofSeconds(120), Duration.ofMinutes(15)));

        vertx = Vertx.vertx();
        int cosignPort = await(cosign.listen(vertx, "127.0.0.1", 0, 4));
        front = new DemoTradingFront(vertx);
        frontPort = await(front.listen());

        TlcpCredentials credentials = new TlcpCredentials(gw.sign(), Optional.of(gw.enc()), ca.chain(),
                Sm2SignKey.onCard(card, GATEWAY_SIGN_KEY), Optional.of(Sm2Decryptor.onCard(card, GATEWAY_ENC_KEY)),
                Optional.empty());
        X509CertificatePolicy clients = new X509CertificatePolicy(List.of(ca.rootCertificate()),
                new CertificateGate(new PgCaStore(ds), shards, false), false);
        InMemorySessionCache sessions = new InMemorySessionCache(10_000, Duration.ofHours(1), clock);
        // The gateway's encryption key lives in the card, so the ECDHE suites (which need it whole) are off.
        List<CipherSuite> suites = List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3);
        SecureRandom random = new SecureRandom();
        // every demo terminal comes from 127.0.0.1, so per-address limits are set for a load test, not a street
        AdmissionControl admission = new AdmissionControl(new AdmissionPolicy(50_000, 10_000, 10_000, 10_000, 10_000, 65_536,
                Duration.ofMinutes(30)), System::nanoTime);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();

        FrontPool cosignPool = new FrontPool(vertx, "cosign", List.of(new TradingFront("cosign-demo", "127.0.0.1", cosignPort)),
                Duration.ofSeconds(2), Duration.ofSeconds(5)).start();
        enrolment = new GmListener(vertx, new GmListener.Settings("enrolment", "127.0.0.1", 0, Duration.ofSeconds(20)),
                auth -> new TlcpServerConfig(suites, auth, credentials, clients, sessions, clock, random), Optional.empty(),
                new FrontConnector(cosignPool, ConnectionObserver.NONE, false), admission,
                HandshakePolicy.fixed(ClientAuth.NONE), IdentityResolver.SUBJECT_CN, ConnectionObserver.NONE, metrics);
        FrontPool tradingPool = new FrontPool(vertx, "trading", List.of(new TradingFront("demo-front", "127.0.0.1", frontPort)),
                Duration.ofSeconds(2), Duration.ofSeconds(5)).start();
        trading = new GmListener(vertx, new GmListener.Settings("trading", "127.0.0.1", 0, Duration.ofSeconds(20)),
                auth -> new TlcpServerConfig(suites, auth, credentials, clients, sessions, clock, random), Optional.empty(),
                new FrontConnector(tradingPool, ConnectionObserver.NONE), admission,
                HandshakePolicy.fixed(ClientAuth.REQUIRED), IdentityResolver.SUBJECT_CN, ConnectionObserver.NONE, metrics);
        enrolmentPort = await(enrolment.listen());
        tradingPort = await(trading.listen());
    }

    /** Adds a built-in trader account whose password needs no change. */
    public void addTrader(String account, char[] password) {
        cosign.accounts().addBuiltin(account, password, "demo");
        cosign.accounts().setPassword(account, password, false);
    }

    public int enrolmentPort() {
        return enrolmentPort;
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
            await(vertx.close());
        } catch (RuntimeException ignored) {
            // already closing
        }
        cosign.close();
        card.close();
        postgres.close();
    }
}
