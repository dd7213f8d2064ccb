package io.gmgate.perf.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.app.wiring.NodeAddresses;
import io.gmgate.app.wiring.NodeForwarding;
import io.gmgate.app.wiring.NodePolicy;
import io.gmgate.app.wiring.NodeStores;
import io.gmgate.app.wiring.NodeTls;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.TradingFront;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.gateway.admin.Role;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.NodeVertx;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSettings;
import io.gmgate.session.Scope;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.Sm2KeyAgreement;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.crypto.Sm2SignKey;
import io.vertx.core.Future;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real gateway node in its own process, for the load generators: embedded PostgreSQL, a
 * software card, the embedded CA for the gateway's own certificates, a one-member cluster, the
 * trading listener relaying to a front given by port, the default admission policy, and the trading
 * listener trusting the whole-key client CA in {@code DIR/clients-root.pem} without key records
 * ({@code acceptExternalWholeKeys}). It writes {@code DIR/NAME-root.pem}, then
 * {@code DIR/NAME.port} once listening, and runs until its standard input closes (its parent died or
 * is done).
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.load.GatewayNodeMain DIR NAME FRONT_PORT CLUSTER_PORT card|memory NORMAL|ONE_WAY</pre>
 * {@code card}: sign and decryption keys in the software card (the ECC suites only, as deployed);
 * {@code memory}: whole keys in memory, which the ECDHE suites need.
 */
public final class GatewayNodeMain {

    private GatewayNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        int frontPort = Integer.parseInt(args[2]);
        int clusterPort = Integer.parseInt(args[3]);
        boolean inMemory = args[4].equals("memory");
        AccessMode mode = AccessMode.valueOf(args[5]);
        Path own = Files.createDirectories(dir.resolve(name));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(own.resolve("pg")).setCleanDataDirectory(true).start();
             SoftCipherCard card = SoftCipherCard.init(own.resolve("card.gmc"), "perf card passphrase".toCharArray())) {
            // pooled as `gmgate serve` does (PgPool, database.poolSize's default of 10)
            var ds = PgPool.open(new PgPoolSettings("gateway-" + name, pg.getJdbcUrl("postgres", "postgres"), "postgres", "",
                    10, Duration.ofSeconds(2)));
            KeystoreSchema.migrate(ds);
            Clock clock = Clock.systemUTC();
            EmbeddedCa ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Perf Futures"), card, new PgCaStore(ds), clock);
            card.generateSm2Key(201);
            card.generateSm2Key(202);
            Sm2PrivateKey signKey = Sm2PrivateKey.generate();
            Sm2PrivateKey encKey = Sm2PrivateKey.generate();
            IssuedCertificates gw = ca.issueGateway(name, new X500Name("CN=" + name + ",O=Perf Futures,C=CN"),
                    inMemory ? signKey.publicKey() : card.sm2PublicKey(201), inMemory ? encKey.publicKey() : card.sm2PublicKey(202),
                    List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            TlcpCredentials creds = inMemory
                    ? new TlcpCredentials(gw.sign(), Optional.of(gw.enc()), ca.chain(), Sm2SignKey.of(signKey),
                            Optional.of(Sm2Decryptor.of(encKey)), Optional.of(Sm2KeyAgreement.of(encKey)))
                    : new TlcpCredentials(gw.sign(), Optional.of(gw.enc()), ca.chain(), Sm2SignKey.onCard(card, 201),
                            Optional.of(Sm2Decryptor.onCard(card, 202)), Optional.of(Sm2KeyAgreement.onCard(card, 202)));
            List<CipherSuite> suites = List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3,
                    CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3);
            var clients = GmPem.certificatesFromPem(Files.readString(dir.resolve("clients-root.pem")));
            // the nodes of one run share its directory, so they derive one cluster from it; another run is another cluster
            io.gmgate.session.ClusterIdentity identity = new io.gmgate.session.ClusterIdentity("perf-" + dir.getFileName(),
                    io.gmgate.crypto.Sm3.digest(dir.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ClusterNode cluster = await(ClusterNode.start(ClusterSettings.loopback(clusterPort, identity), NodeVertx.options()));
            AdminTokens tokens = AdminTokens.parse(List.of(AdminTokens.line("perf-sre-token-" + name, "perf",
                    EnumSet.of(Role.SRE))), "perf");
            GatewayNode.Parts parts = new GatewayNode.Parts(name, "perf", NodeAddresses.freePorts("127.0.0.1"),
                    new NodeTls(creds, clients, suites, false, true),
                    new NodeForwarding(List.of(new TradingFront("front", "127.0.0.1", frontPort)), List.of(),
                            Duration.ofSeconds(2), Duration.ofSeconds(5)),
                    new NodeStores(ds, card, 1, new PgShardStore(ds, card, ShardStoreSettings.defaults()), tokens),
                    NodePolicy.of(AdmissionPolicy.defaults(), Duration.ofSeconds(1), clock));
            GatewayNode node = await(GatewayNode.start(parts, cluster));
            if (mode != AccessMode.NORMAL) {
                node.modes().set(Scope.parse("cluster"), mode, "perf run", "perf", Optional.of(Duration.ofHours(2)));
            }
            Files.writeString(dir.resolve(name + "-root.pem"), GmPem.toPem(ca.rootCertificate()), StandardCharsets.US_ASCII);
            Path port = dir.resolve(name + ".port");
            Files.writeString(dir.resolve(name + ".tmp"), Integer.toString(node.port(GatewayNode.TRADING)));
            Files.move(dir.resolve(name + ".tmp"), port, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println(name + " listening on " + node.port(GatewayNode.TRADING) + ", pid " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // the parent keeps stdin open while it wants this node
            }
            // no orderly cluster leave: the run is over, and a JFR recording is written at exit
        }
        System.exit(0);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
