package io.gmgate.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.ports.ReservedPort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The pattern-A site {@link LoginStorm} drives, each server in its own process: an embedded
 * PostgreSQL (its server processes are measured apart), a cosign node ({@link CosignNodeMain}), the
 * trading front ({@link FrontMain}) and a gateway node ({@link LoginGatewayMain}), all on 127.0.0.1.
 * Set-up here, before any child starts: the schema, the software card with the site KEK and the
 * gateway's keys, the embedded CA and the gateway's certificates, and the accounts (as the firm's
 * identity system registers them; {@link FirmIdentityStandIn}). The terminals' keys and
 * certificates are each their own, made by enrolment ({@link StormTerminals}). The three children
 * start at once: the cosign node's port is reserved here and handed to it and to the gateway.
 */
final class StormSite implements AutoCloseable {

    static final int GATEWAY_SIGN_KEY = 201;
    static final int GATEWAY_ENC_KEY = 202;
    static final String PASSWORD = "storm-Passw0rd-1";

    final Path dir;
    private final EmbeddedPostgres postgres;
    private Children children;
    final Process cosign;
    final Process front;
    final Process gateway;
    final int cosignPort;
    final int tradingPort;
    final int enrolmentPort;
    final int adminPort;
    /** The cosign node's admin listener (/metrics). */
    final int cosignAdminPort;
    final X509CertificateHolder root;

    /** {@code childJvm}: JVM options added to every child's (e.g. a JFR recording, or C1 only for a quick CI run). */
    StormSite(List<String> accounts, List<String> childJvm, Consumer<String> progress) throws Exception {
        long t0 = System.nanoTime();
        dir = Files.createTempDirectory("gmgate-storm");
        // commits wait for the WAL flush, as deployed: the cosign answer leaves only after its audit entry is
        // durable, and that wait is part of a login (zonky's default, synchronous_commit=off, would hide it)
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on").setPort(ReservedPort.forThisJvm())
                .setPgBinaryResolver(StormSite::firstPgBinary).setPGStartupWait(java.time.Duration.ofSeconds(90)).start();
        try {
            String jdbc = postgres.getJdbcUrl("postgres", "postgres");
            DataSource ds = postgres.getPostgresDatabase();
            KeystoreSchema.migrate(ds);
            try (SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.gmc"), CosignNodeMain.CARD_PASSPHRASE)) {
                EmbeddedCa ca = EmbeddedCa.init(EmbeddedCaConfig.defaults(CosignNodeMain.FIRM), card, new PgCaStore(ds), Clock.systemUTC());
                card.generateSm2Key(GATEWAY_SIGN_KEY);
                card.generateSm2Key(GATEWAY_ENC_KEY);
                IssuedCertificates gw = ca.issueGateway("gateway", new X500Name("CN=gateway,O=" + CosignNodeMain.FIRM + ",C=CN"),
                        card.sm2PublicKey(GATEWAY_SIGN_KEY), card.sm2PublicKey(GATEWAY_ENC_KEY),
                        List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
                root = ca.rootCertificate();
                write("gateway-sign.pem", List.of(gw.sign()));
                write("gateway-enc.pem", List.of(gw.enc()));
                write("ca-chain.pem", ca.chain());
                write("root.pem", List.of(root));
                seedAccounts(ds, new PgShardStore(ds, card, ShardStoreSettings.defaults()), accounts);
            }
            // the gateway's own copy: the same KEK and gateway keys; the cosign node alone writes to its card
            Files.copy(dir.resolve("card.gmc"), dir.resolve("card-gateway.gmc"));
            progress.accept(String.format("%5.1f s  PostgreSQL, card, CA and %d accounts ready", (System.nanoTime() - t0) / 1e9, accounts.size()));
            children = new Children(dir);
            cosignPort = ReservedPort.forThisJvm();
            cosign = children.start("cosign", jvm(childJvm, "-Xmx1g"), CosignNodeMain.class, dir.toString(), jdbc, Integer.toString(cosignPort));
            front = children.start("front", jvm(childJvm, "-Xmx256m", "-XX:+UseSerialGC"), FrontMain.class, dir.toString(), "front");
            int frontPort = children.port("front", front, 120);
            gateway = children.start("gw", jvm(childJvm, "-Xmx1g"), LoginGatewayMain.class, dir.toString(), jdbc,
                    Integer.toString(frontPort), Integer.toString(cosignPort), Integer.toString(ReservedPort.forThisJvm()));
            children.port("cosign", cosign, 180);
            cosignAdminPort = children.port("cosign-admin", cosign, 5);
            tradingPort = children.port("gw", gateway, 180);
            enrolmentPort = children.port("gw-enrolment", gateway, 5);
            adminPort = children.port("gw-admin", gateway, 5);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        progress.accept(String.format("%5.1f s  cosign, front and gateway processes listening", (System.nanoTime() - t0) / 1e9));
    }

    /**
     * zonky's PostgreSQL archive, the first on the classpath: under `mvn verify` perf's classpath holds it
     * twice (the demo jar's manifest lists its own lib/ copy), and zonky's default resolver refuses that.
     */
    private static java.io.InputStream firstPgBinary(String system, String hardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + hardware + ".txz";
        java.io.InputStream in = StormSite.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IOException("no embedded PostgreSQL archive " + name + " on the classpath (zonky's binaries for this platform)");
        }
        return in;
    }

    private static List<String> jvm(List<String> extra, String... own) {
        List<String> out = new java.util.ArrayList<>(List.of(own));
        out.addAll(extra);
        return out;
    }

    private void write(String name, List<X509CertificateHolder> certs) throws java.io.IOException {
        StringBuilder pem = new StringBuilder();
        certs.forEach(c -> pem.append(GmPem.toPem(c)));
        Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    /** The accounts as the firm's identity system registers them at a first login (EXTERNAL rows, no password here). */
    private static void seedAccounts(DataSource ds, PgShardStore shards, List<String> accounts) throws Exception {
        for (String a : accounts) {
            shards.createAccount(a, "storm");
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO cosign_accounts (account, source) VALUES (?, 'EXTERNAL')")) {
            for (String a : accounts) {
                ps.setString(1, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The PostgreSQL postmaster's pid (its backends are its children), from its data directory. */
    long postmasterPid() throws java.io.IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
    }

    /** The postmaster's CPU seconds with its reaped children's, plus every live child's (the backends). */
    double postgresCpuSeconds() throws java.io.IOException {
        long pm = postmasterPid();
        double sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    if (pid == pm) {
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
                    } else if (Long.parseLong(f[1]) == pm) {
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // a process that ended between listing and reading
                }
            }
        }
        return sum;
    }

    @Override
    public void close() throws java.io.IOException {
        if (children != null) {
            children.close();
        }
        postgres.close();
    }
}
