package io.gmgate.app.drills;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.Gmgate;
import io.gmgate.cosign.identity.PgAccounts;
import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.testkit.PgSchema;
import io.gmgate.ports.ReservedPort;
import picocli.CommandLine;

/**
 * One firm's site for a drill, built the way an operator builds it: a card file, {@code gmgate ca
 * init}, {@code gmgate policy key}, one YAML file per node, {@code gmgate accounts add}; then gateway
 * and cosign nodes as child processes ({@code gmgate serve}, {@code gmgate cosign serve}) on fixed
 * loopback ports (so a restarted node comes back where terminals look for it), the ledger front in
 * the test JVM, and the SRE's commands ({@code gmgate mode set}, {@code gmgate policy sign}) run
 * through the CLI entry point.
 */
final class DrillSite implements AutoCloseable {

    static final String FIRM = "Drill Futures";
    static final String SITE = "sh";
    private static final String SRE = "sre";
    private static final String PASSPHRASE = "drill card passphrase";
    private static final Pattern GATEWAY_UP = Pattern.compile("gateway (\\S+) up: .*; mode (\\S+)");
    private static final Pattern CMP_UP = Pattern.compile("CMP (\\S+) READY (\\S+)");
    private static final Pattern COSIGN_UP = Pattern.compile("cosign node (\\S+) listening on http://127\\.0\\.0\\.1:(\\d+)");

    /** A gateway node's fixed ports. */
    record GatewayPorts(int trading, int enrolment, int bypass, int admin, int cluster) {
    }

    final Path dir;
    final LedgerFront front;
    private final PgSchema pg;
    private final Path card;
    private final Path passphrase;
    private final Path pki;
    private final Sm2PublicKey policyKey;
    private final Map<String, GatewayPorts> gateways = new LinkedHashMap<>();
    private final Map<String, int[]> cosigns = new LinkedHashMap<>(); // name -> {http port, cluster port}
    private final Map<String, Integer> cmpCas = new LinkedHashMap<>();
    private final Map<String, String> childEnv = new LinkedHashMap<>();
    private final Map<String, NodeProcess> processes = new LinkedHashMap<>();
    private final List<Terminal> terminals = new ArrayList<>();
    private final Path policy;
    private final Path raSecret;
    private final Path clusterSecret;
    private long policySerial;
    private final String gatewayExtra;

    /**
     * Lays out the site: {@code gateways} gateway nodes and {@code cosignNodes} cosign nodes (named
     * gw-1.., cosign-1..), their YAML files and ports; nothing is started yet.
     */
    DrillSite(PgSchema pg, String drill, int gatewayCount, int cosignCount) throws Exception {
        this(pg, drill, gatewayCount, cosignCount, "");
    }

    /** As above, with more lines for every gateway's {@code gateway:} section (indented by two spaces). */
    DrillSite(PgSchema pg, String drill, int gatewayCount, int cosignCount, String gatewayExtra) throws Exception {
        this(pg, drill, gatewayCount, cosignCount, 0, gatewayExtra);
    }

    /**
     * With {@code cmpCas} CMP lines of the CA (ca-primary, ca-backup, … as {@link CmpCaProcess}es) that
     * the cosign nodes ask in that order instead of using the embedded CA directly.
     */
    DrillSite(PgSchema pg, String drill, int gatewayCount, int cosignCount, int cmpCas, String gatewayExtra) throws Exception {
        this.pg = pg;
        this.gatewayExtra = gatewayExtra;
        this.dir = Path.of("target", "drills", drill).toAbsolutePath();
        deleteTree(dir); // a device store from an earlier run would hold a newer policy than this run's first
        Files.createDirectories(dir);
        this.card = dir.resolve("card.gmc");
        this.passphrase = Files.writeString(dir.resolve("card.pass"), PASSPHRASE + "\n");
        this.pki = dir.resolve("pki");
        this.policy = dir.resolve("policy.bin");
        this.raSecret = dir.resolve("ra.secret");
        KeystoreSchema.migrate(pg.dataSource());
        SoftCipherCard.init(card, PASSPHRASE.toCharArray()).close();
        cli("ca", "init", "--card", card.toString(), "--passphrase-file", passphrase.toString(), "--db-url",
                url() + "&user=" + pg.server().user(), "--firm", FIRM, "--out", pki.toString(), "--gateway-ip", "127.0.0.1", "--gateway-dns", "localhost");
        for (int i = 1; i <= cmpCas; i++) {
            this.cmpCas.put(i == 1 ? "ca-primary" : i == 2 ? "ca-backup" : "ca-" + i, freePort());
        }
        Files.writeString(raSecret, "drill RA shared secret\n");
        // the site's cluster secret, fresh per run: a drill's nodes never join another build's cluster
        this.clusterSecret = Files.writeString(dir.resolve("cluster.secret"),
                java.util.HexFormat.of().formatHex(io.gmgate.crypto.GmRandom.bytes(32)) + "\n");
        for (int i = 1; i <= cosignCount; i++) {
            cosigns.put("cosign-" + i, new int[] {freePort(), freePort()});
        }
        for (int i = 1; i <= gatewayCount; i++) {
            gateways.put("gw-" + i, new GatewayPorts(freePort(), freePort(), freePort(), freePort(), freePort()));
        }
        this.front = new LedgerFront().start();
        cosigns.keySet().forEach(this::writeCosignYaml);
        gateways.keySet().forEach(this::writeGatewayYaml);
        write(SRE, common(SRE)); // the SRE's own file: the database, and the card holding the firm's policy key
        this.policyKey = GmPem.publicKeyFromPem(cli("policy", "key", "--config", yaml(SRE).toString()));
    }

    String url() {
        String base = pg.server().jdbcUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + pg.name() + "&password=" + pg.server().password();
    }

    Path yaml(String node) {
        return dir.resolve(node + ".yaml");
    }

    GatewayPorts ports(String gateway) {
        return gateways.get(gateway);
    }

    private String common(String node) {
        return String.join("\n",
                "node: {name: " + node + ", site: " + SITE + "}",
                "database: {url: '" + url() + "', user: " + pg.server().user() + ", poolSize: 3}",
                "card: {type: soft, path: '" + cardOf(node) + "', passphraseFile: '" + passphrase + "'}", "");
    }

    /**
     * The card file a node opens. Each gateway node has its own card holding the gateway's TLCP keys
     * (a copy of the site card made after {@code ca init}, as a key ceremony would restore them into
     * every node's card), so one node's card can fail alone (C.2); cosign nodes and the SRE use the site card.
     */
    Path cardOf(String node) {
        return gateways.containsKey(node) ? dir.resolve("card-" + node + ".gmc") : card;
    }

    /** The gateway's card file vanishes under the running node: what its health probe sees (C.2). */
    void loseCard(String gateway) throws IOException {
        Files.move(cardOf(gateway), Path.of(cardOf(gateway) + ".lost"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The replacement card, restored from the backup of the gateway's keys, is back in place. */
    void replaceCard(String gateway) throws IOException {
        Files.move(Path.of(cardOf(gateway) + ".lost"), cardOf(gateway), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String members(List<Integer> ports) {
        return ports.stream().map(p -> "'127.0.0.1:" + p + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private void writeCosignYaml(String name) {
        int[] p = cosigns.get(name);
        write(name, common(name) + String.join("\n",
                "cluster: {host: 127.0.0.1, port: " + p[1] + ", members: "
                        + members(cosigns.values().stream().map(c -> c[1]).toList()) + ", memberTimeout: 3s, name: "
                        + dir.getFileName() + "-cosign, secretFile: '" + clusterSecret + "'}",
                "cosign:",
                "  bindHost: 127.0.0.1",
                "  port: " + p[0],
                "  workers: 4",
                "  firm: " + FIRM,
                "  trustedProxies: [127.0.0.1]",
                cmpCas.isEmpty() ? "" : "  ca:",
                cmpCas.isEmpty() ? "" : "    openWait: 3s",
                cmpCas.isEmpty() ? "" : "    lines:",
                cmpCas.entrySet().stream().map(e -> "      - {kind: cmp, name: " + e.getKey() + ", url: 'http://127.0.0.1:"
                        + e.getValue() + "/.well-known/cmp', reference: gmgate-ra, secretFile: '" + raSecret
                        + "', issuerCertificate: '" + pki.resolve("issuing.pem") + "'}").collect(Collectors.joining("\n")), ""));
    }

    private void writeGatewayYaml(String name) {
        GatewayPorts p = gateways.get(name);
        try {
            Files.copy(card, cardOf(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String cosignNodes = cosigns.entrySet().stream().map(e -> "{name: " + e.getKey() + ", host: 127.0.0.1, port: "
                + e.getValue()[0] + "}").collect(Collectors.joining(", ", "[", "]"));
        write(name, common(name) + String.join("\n",
                "cluster: {host: 127.0.0.1, port: " + p.cluster() + ", members: "
                        + members(gateways.values().stream().map(GatewayPorts::cluster).toList())
                        + ", modeRefresh: 300ms, memberTimeout: 3s, name: " + dir.getFileName() + "-gateways, secretFile: '"
                        + clusterSecret + "'}",
                "gateway:",
                "  bindHost: 127.0.0.1",
                "  trading: {port: " + p.trading() + ", fronts: [{name: ledger, host: 127.0.0.1, port: " + front.gatewayPort() + "}]}",
                "  enrolment: {port: " + p.enrolment() + (cosigns.isEmpty() ? "" : ", cosignNodes: " + cosignNodes) + "}",
                "  bypass: {port: " + p.bypass() + "}",
                "  admin: {port: " + p.admin() + "}",
                "  frontProbeInterval: 1s",
                "  frontConnectTimeout: 1s",
                gatewayExtra,
                "  tlcp:",
                "    signCertificate: '" + pki.resolve("gateway-sign.pem") + "'",
                "    encCertificate: '" + pki.resolve("gateway-enc.pem") + "'",
                "    chain: '" + pki.resolve("ca-chain.pem") + "'",
                "    trustRoots: '" + pki.resolve("root.pem") + "'",
                ""));
    }

    private void write(String node, String text) {
        try {
            Files.writeString(yaml(node), text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts (or restarts) a node's process; call {@link #awaitUp} for each before using them. */
    NodeProcess launch(String node) throws IOException {
        NodeProcess p = processes.get(node);
        if (p == null) {
            if (gateways.containsKey(node)) {
                p = NodeProcess.gmgate(node, dir, GATEWAY_UP, childEnv, "serve", "--config", yaml(node).toString());
            } else if (cmpCas.containsKey(node)) {
                p = new NodeProcess(node, dir, CMP_UP, childEnv, CmpCaProcess.class.getName(), List.of(node,
                        Integer.toString(cmpCas.get(node)), url(), pg.server().user(), card.toString(), passphrase.toString(), FIRM,
                        "gmgate-ra", raSecret.toString()));
            } else {
                p = NodeProcess.gmgate(node, dir, COSIGN_UP, childEnv, "cosign", "serve", "--config", yaml(node).toString());
            }
            processes.put(node, p);
        }
        return p.start();
    }

    /** Waits until the node printed its ready line; returns that line. */
    /** Launches the nodes together (they start in parallel), then waits for each to be up. */
    void up(String... nodes) throws Exception {
        for (String n : nodes) {
            launch(n);
        }
        for (String n : nodes) {
            awaitUp(n);
        }
    }

    String awaitUp(String node) throws Exception {
        NodeProcess p = processes.get(node);
        p.awaitReady(Duration.ofSeconds(120));
        return p.readyLine();
    }

    NodeProcess process(String node) {
        return processes.get(node);
    }

    /** GET /health/ready on a gateway's admin port: the status code, or -1 when nothing answers. */
    int ready(String gateway) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports(gateway).admin() + "/health/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Adds a built-in trader whose password needs no change at first login (as after the trader changed it). */
    void addTrader(String account, String password) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw-" + account), password + "\n");
        cli("accounts", "add", account, "--config", yaml(cosigns.keySet().iterator().next()).toString(),
                "--password-file", pw.toString());
        Files.delete(pw);
        try (SoftCipherCard c = SoftCipherCard.open(card, PASSPHRASE.toCharArray())) {
            new PgAccounts(CosignJdbc.of(pg.dataSource(), "drill"), new PgShardStore(pg.dataSource(), c, ShardStoreSettings.defaults()),
                    Clock.systemUTC(), 120_000).setPassword(account, password.toCharArray(), false);
        }
    }

    List<Endpoint> trading(String... nodes) {
        return endpoints(nodes, GatewayPorts::trading);
    }

    List<Endpoint> enrolment(String... nodes) {
        return endpoints(nodes, GatewayPorts::enrolment);
    }

    List<Endpoint> bypass(String... nodes) {
        return endpoints(nodes, GatewayPorts::bypass);
    }

    private List<Endpoint> endpoints(String[] nodes, java.util.function.ToIntFunction<GatewayPorts> port) {
        List<Endpoint> out = new ArrayList<>();
        for (String n : nodes.length == 0 ? gateways.keySet().toArray(String[]::new) : nodes) {
            out.add(new Endpoint(SITE, "127.0.0.1", port.applyAsInt(gateways.get(n))));
        }
        return out;
    }

    /** The front's original direct door, the emergency address of docs/drills.md C1 when no gateway is left. */
    Endpoint frontDirect() {
        return new Endpoint(SITE, "127.0.0.1", front.directPort());
    }

    List<X509CertificateHolder> roots() throws IOException {
        return GmPem.certificatesFromPem(Files.readString(pki.resolve("root.pem")));
    }

    /** A terminal's SDK client with its own device store; endpoints as the first published policy lists them. */
    GmgateClient client(String terminal) throws IOException {
        return new GmgateClient(new GmgateClient.Options(enrolment(), trading(), roots(), dir.resolve("store-" + terminal),
                Duration.ofSeconds(3), Duration.ofSeconds(20), 100_000));
    }

    Sm2PublicKey policyKey() {
        return policyKey;
    }

    /** The SRE signs and publishes a new access policy (serial one higher) with {@code gmgate policy sign}. */
    void publishPolicy(String mode, List<Endpoint> emergency) throws Exception {
        List<String> args = new ArrayList<>(List.of("policy", "sign", "--config", yaml(SRE).toString(),
                "--serial", Long.toString(++policySerial), "--mode", mode, "--valid", "2h", "--out", policy + ".new"));
        enrolment().forEach(e -> args.addAll(List.of("--enrolment", SITE + "=" + e.host() + ":" + e.port())));
        trading().forEach(e -> args.addAll(List.of("--trading", SITE + "=" + e.host() + ":" + e.port())));
        emergency.forEach(e -> args.addAll(List.of("--emergency", SITE + "=" + e.host() + ":" + e.port())));
        cli(args.toArray(String[]::new));
        Files.move(Path.of(policy + ".new"), policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What terminals fetch: the last published signed policy. */
    byte[] publishedPolicy() {
        try {
            return Files.readAllBytes(policy);
        } catch (IOException e) {
            throw new IllegalStateException("no policy published at " + policy, e);
        }
    }

    /** {@code gmgate mode set MODE --scope SCOPE --reason REASON --ttl 30m}, as the SRE types it. */
    String modeSet(String mode, String scope, String reason) {
        return cli("mode", "set", mode, "--config", yaml(SRE).toString(), "--scope", scope, "--reason", reason,
                "--ttl", "30m", "--operator", "sre-drill");
    }

    /** Runs one gmgate command in this JVM through the CLI entry point; fails the drill on a non-zero exit. */
    String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Gmgate()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int rc = cli.execute(args);
        if (rc != 0) {
            throw new AssertionError("gmgate " + String.join(" ", args) + " exited " + rc + ":\n" + out);
        }
        return out.toString();
    }

    /** Node processes bind these themselves, and a killed node comes back on the same ports. */
    static int freePort() {
        return ReservedPort.forThisJvm();
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var files = Files.walk(p)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * A trader {@code account} whose device enrols (two-party keys, double certificate) and logs in:
     * the terminal, started, trading two-way; it logs in again by itself if its cosign session is lost.
     */
    Terminal enrolledTerminal(String name, String account) throws Exception {
        char[] password = ("password of " + account).toCharArray();
        char[] pin = "246810".toCharArray();
        addTrader(account, new String(password));
        GmgateClient client = client(name);
        client.enroll(account, password, "desk-" + name, pin);
        return terminal(name, account, client, Optional.of(client.login(password, pin)))
                .reloginWith(() -> client.login(password, pin));
    }

    /** A terminal of this site (closed with it), following the published policy; not started. */
    Terminal terminal(String name, String account, GmgateClient client, Optional<GmgateClient.Session> session)
            throws IOException {
        Terminal t = new Terminal(name, account, session, client.store(), policyKey, this::publishedPolicy, roots());
        terminals.add(t);
        return t;
    }

    /**
     * The end of every drill: stops the terminals, checks each against the front's ledger (nothing
     * acknowledged lost), checks the front saw every path in {@code paths}, writes the report.
     */
    void finish(DrillReport report, String... paths) throws Exception {
        for (Terminal t : terminals) {
            t.close();
        }
        for (Terminal t : terminals) {
            report.note(front.assertNothingLost(t));
            t.failureSamples().forEach((code, sample) -> report.note(t.name + " first " + code + ": " + sample));
        }
        if (!front.paths().containsAll(List.of(paths))) {
            throw new AssertionError("the front saw the paths " + front.paths() + ", not all of " + List.of(paths));
        }
        report.write();
    }

    /** Stops the terminals, kills every child still running (also on failure) and stops the front. */
    @Override
    public void close() throws Exception {
        for (Terminal t : terminals) {
            t.close();
        }
        for (NodeProcess p : processes.values()) {
            try {
                p.kill();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("drill: could not kill " + p.name + ": " + e);
            }
        }
        front.close();
    }
}
