package io.gmgate.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.app.wiring.NodeAddresses;
import io.gmgate.app.wiring.NodeForwarding;
import io.gmgate.app.wiring.NodePolicy;
import io.gmgate.app.wiring.NodeStores;
import io.gmgate.app.wiring.NodeTls;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.TradingFront;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.gateway.admin.Role;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.NodeVertx;
import io.gmgate.session.ClusterIdentity;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSettings;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.TlcpCredentials;

/**
 * The pattern-A gateway node of {@link LoginStorm} in its own process: :9000 two-way TLCP whose
 * client certificates chain to the site CA and must have key records (no whole-key clients), :8090
 * one-way TLCP relaying to the cosign node, the admin port with {@code /metrics}, the site's
 * PostgreSQL and its own copy of the site's software card (the gateway keys and the site KEK). Wired
 * as {@code gmgate serve} wires it, with the demo site's admission limits: every terminal of the rig
 * comes from 127.0.0.1. Writes {@code DIR/gw-enrolment.port}, {@code DIR/gw-admin.port}, then
 * {@code DIR/gw.port} (trading); runs until its standard input closes.
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.load.LoginGatewayMain DIR JDBC_URL FRONT_PORT COSIGN_PORT CLUSTER_PORT</pre>
 */
public final class LoginGatewayMain {

    private LoginGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int frontPort = Integer.parseInt(args[2]);
        int cosignPort = Integer.parseInt(args[3]);
        int clusterPort = Integer.parseInt(args[4]);
        var ds = PgPool.open(new PgPoolSettings("gateway-storm", args[1], "postgres", "", 10, Duration.ofSeconds(2)));
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("card-gateway.gmc"), CosignNodeMain.CARD_PASSPHRASE)) {
            var sign = GmPem.certificatesFromPem(Files.readString(dir.resolve("gateway-sign.pem"))).get(0);
            var enc = GmPem.certificatesFromPem(Files.readString(dir.resolve("gateway-enc.pem"))).get(0);
            var chain = GmPem.certificatesFromPem(Files.readString(dir.resolve("ca-chain.pem")));
            var root = GmPem.certificatesFromPem(Files.readString(dir.resolve("root.pem")));
            TlcpCredentials creds = new TlcpCredentials(sign, Optional.of(enc), chain,
                    Sm2SignKey.onCard(card, StormSite.GATEWAY_SIGN_KEY), Optional.of(Sm2Decryptor.onCard(card, StormSite.GATEWAY_ENC_KEY)),
                    Optional.empty());
            ClusterIdentity identity = new ClusterIdentity("storm-" + dir.getFileName(),
                    io.gmgate.crypto.Sm3.digest(dir.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ClusterNode cluster = GatewayNodeMain.await(ClusterNode.start(ClusterSettings.loopback(clusterPort, identity), NodeVertx.options()));
            AdminTokens tokens = AdminTokens.parse(List.of(AdminTokens.line("storm-sre-token-" + clusterPort, "storm",
                    EnumSet.of(Role.SRE))), "storm");
            AdmissionPolicy admission = new AdmissionPolicy(50_000, 10_000, 10_000, 10_000, 10_000, 65_536, Duration.ofMinutes(30));
            Clock clock = Clock.systemUTC();
            GatewayNode.Parts parts = new GatewayNode.Parts("gw-storm", "storm", NodeAddresses.freePorts("127.0.0.1"),
                    new NodeTls(creds, root, List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3), false, false),
                    new NodeForwarding(List.of(new TradingFront("front", "127.0.0.1", frontPort)),
                            List.of(new TradingFront("cosign-storm", "127.0.0.1", cosignPort)), Duration.ofSeconds(2),
                            Duration.ofSeconds(5)),
                    new NodeStores(ds, card, 1, new PgShardStore(ds, card, ShardStoreSettings.defaults()), tokens),
                    NodePolicy.of(admission, Duration.ofSeconds(1), clock));
            GatewayNode node = GatewayNodeMain.await(GatewayNode.start(parts, cluster));
            publish(dir, "gw-enrolment", node.port(GatewayNode.ENROLMENT));
            publish(dir, "gw-admin", node.port("admin"));
            publish(dir, "gw", node.port(GatewayNode.TRADING));
            System.out.println("gateway: trading " + node.port(GatewayNode.TRADING) + ", enrolment " + node.port(GatewayNode.ENROLMENT)
                    + ", admin " + node.port("admin") + ", pid " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // the parent keeps stdin open while it wants this node
            }
        }
        System.exit(0);
    }

    private static void publish(Path dir, String name, int port) throws java.io.IOException {
        Files.writeString(dir.resolve(name + ".tmp"), Integer.toString(port));
        Files.move(dir.resolve(name + ".tmp"), dir.resolve(name + ".port"), StandardCopyOption.ATOMIC_MOVE);
    }
}
