package io.gmgate.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gmgate.app.config.ConfigFile;
import io.gmgate.app.config.GatewaySettings;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.demo.DemoSite;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Reads every manifest of deploy/k8s with Kubernetes' typed model and checks that it agrees with
 * itself and with the application: container ports with the configuration in the ConfigMap,
 * probes with the admin API's paths, selectors with pod labels, secret paths with mounts, and the
 * alert rules and the dashboard with the metrics a real gateway node exports.
 */
class KubernetesManifestsTest {

    private static final Path BASE = Path.of("../deploy/k8s/base");
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        Map<String, Object> kustomization = yaml(BASE.resolve("kustomization.yaml"));
        @SuppressWarnings("unchecked")
        List<String> files = (List<String>) kustomization.get("resources");
        assertFalse(files.isEmpty());
        for (String f : files) {
            try (InputStream in = Files.newInputStream(BASE.resolve(f))) {
                Object parsed = Serialization.unmarshal(in);
                if (parsed instanceof KubernetesList list) {
                    RESOURCES.addAll(list.getItems());
                } else if (parsed instanceof List<?> list) {
                    list.forEach(o -> RESOURCES.add((HasMetadata) o));
                } else {
                    RESOURCES.add((HasMetadata) parsed);
                }
            }
        }
        Set<String> yamlFiles;
        try (var s = Files.list(BASE)) {
            yamlFiles = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).collect(Collectors.toSet());
        }
        yamlFiles.remove("kustomization.yaml");
        assertEquals(yamlFiles, Set.copyOf(files), "every manifest in base/ is listed in kustomization.yaml");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return Serialization.unmarshal(in, Map.class);
        }
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static GmgateConfig config(String configMap) {
        String text = named(ConfigMap.class, configMap).getData().get("gmgate.yaml");
        assertNotNull(text, configMap + " holds gmgate.yaml");
        return GmgateConfig.from(ConfigFile.parse(ConfigFile.expand(text, Map.of("POD_NAME", "pod-0", "POD_IP", "10.0.0.7"), configMap), configMap));
    }

    private static Map<String, Integer> ports(Container c) {
        Map<String, Integer> m = new HashMap<>();
        for (ContainerPort p : c.getPorts()) {
            m.put(p.getName(), p.getContainerPort());
        }
        return m;
    }

    @Test
    void gatewayContainerPortsAreTheConfiguredListeners() {
        GatewaySettings g = config("gmgate-gateway").gateway().orElseThrow();
        Container c = named(Deployment.class, "gmgate-gateway").getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, Integer> ports = ports(c);
        assertEquals(g.tradingPort(), ports.get("tlcp-trading"));
        assertEquals(g.enrolmentPort(), ports.get("tlcp-enrol"));
        assertEquals(g.bypassPort(), ports.get("bypass"));
        assertEquals(g.adminPort(), ports.get("admin"));
        assertEquals(9000, g.tradingPort(), "terminals know the clearing house's 9000");
        assertEquals(8090, g.enrolmentPort(), "and its 8090");
        assertFalse(g.adminHost().startsWith("127."), "the probes reach the admin API on the pod IP, so it is bound there explicitly");
    }

    @Test
    void cosignContainerPortIsTheConfiguredApiPort() {
        GmgateConfig cfg = config("gmgate-cosign");
        Container c = named(Deployment.class, "gmgate-cosign").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(cfg.cosign().orElseThrow().port(), ports(c).get("cosign-api"));
        assertTrue(cfg.cluster().configured(), "cosign nodes share sessions and nonces through the cluster");
        int cosignPort = config("gmgate-gateway").gateway().orElseThrow().cosignNodes().get(0).port();
        assertEquals(cfg.cosign().orElseThrow().port(), cosignPort, "the gateway's :8090 relays to the cosign API port");
        assertEquals(cfg.cosign().orElseThrow().adminPort(), ports(c).get("admin"), "Prometheus scrapes the admin listener");
        assertFalse(cfg.cosign().orElseThrow().adminHost().startsWith("127."), "the scrape reaches the admin listener on the pod IP");
        assertFalse(cfg.cosign().orElseThrow().settings().trustedProxies().isEmpty(),
                "the gateways are listed, so their PROXY headers (the terminals' addresses) are believed");
    }

    @Test
    void probesHitTheAdminApisHealthPaths() {
        for (Deployment d : all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, Integer> ports = ports(c);
            check(d, c.getLivenessProbe(), "/health/live", ports);
            check(d, c.getReadinessProbe(), "/health/ready", ports);
            if (c.getStartupProbe() != null) {
                check(d, c.getStartupProbe(), "/health/live", ports);
            }
        }
    }

    private static void check(Deployment d, Probe p, String path, Map<String, Integer> ports) {
        assertNotNull(p, d.getMetadata().getName() + " has the probe for " + path);
        assertEquals(path, p.getHttpGet().getPath());
        String port = p.getHttpGet().getPort().getStrVal();
        assertTrue(ports.containsKey(port), d.getMetadata().getName() + ": probe port " + port + " is a container port");
        assertEquals(d.getMetadata().getName().equals("gmgate-cosign") ? "cosign-api" : "admin", port,
                "the gateway serves health on its admin port, a cosign node on its API port");
    }

    @Test
    void secretAndConfigPathsInTheConfigurationAreMounted() {
        for (String[] pair : new String[][] {{"gmgate-gateway", "gmgate-gateway"}, {"gmgate-cosign", "gmgate-cosign"}}) {
            GmgateConfig cfg = config(pair[1]);
            Container c = named(Deployment.class, pair[0]).getSpec().getTemplate().getSpec().getContainers().get(0);
            List<String> mounts = c.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
            List<String> paths = new ArrayList<>();
            paths.add(cfg.card().path());
            cfg.card().passphraseFile().ifPresent(paths::add);
            cfg.database().passwordFile().ifPresent(paths::add);
            cfg.cluster().secretFile().ifPresent(paths::add);
            cfg.gateway().flatMap(GatewaySettings::adminTokensFile).ifPresent(paths::add);
            cfg.gateway().ifPresent(g -> paths.addAll(List.of(g.tlcp().signCertificate(), g.tlcp().encCertificate(),
                    g.tlcp().chain(), g.tlcp().trustRoots())));
            String configArg = c.getArgs().get(c.getArgs().indexOf("--config") + 1);
            paths.add(configArg);
            for (String p : paths) {
                assertTrue(mounts.stream().anyMatch(m -> p.startsWith(m + "/")), pair[0] + ": " + p + " lies under a mount " + mounts);
            }
            assertTrue(cfg.database().passwordEnv().isPresent() || cfg.database().passwordFile().isPresent());
        }
    }

    @Test
    void selectorsMatchPodLabelsAndTargetPortsExist() {
        for (Deployment d : all(Deployment.class)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()),
                    d.getMetadata().getName() + ": selector matches its own pods");
        }
        for (Service s : all(Service.class)) {
            List<Deployment> backing = all(Deployment.class).stream().filter(d -> d.getSpec().getTemplate().getMetadata()
                    .getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet())).toList();
            assertFalse(backing.isEmpty(), "service " + s.getMetadata().getName() + " selects some pods");
            for (Deployment d : backing) {
                Map<String, Integer> ports = ports(d.getSpec().getTemplate().getSpec().getContainers().get(0));
                for (ServicePort p : s.getSpec().getPorts()) {
                    String target = p.getTargetPort().getStrVal();
                    if (!s.getMetadata().getName().equals("gmgate-cluster") || ports.containsKey(target)) {
                        assertTrue(ports.containsKey(target), s.getMetadata().getName() + " → " + d.getMetadata().getName()
                                + ": target port " + target + " exists");
                    }
                }
            }
        }
    }

    @Test
    void disruptionBudgetsLeaveRoomToDrainANode() {
        for (PodDisruptionBudget pdb : all(PodDisruptionBudget.class)) {
            Deployment d = all(Deployment.class).stream().filter(x -> x.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet())).findFirst()
                    .orElseThrow(() -> new AssertionError("PDB " + pdb.getMetadata().getName() + " selects no deployment"));
            assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < d.getSpec().getReplicas(),
                    pdb.getMetadata().getName() + ": minAvailable below replicas, or no node could ever drain");
            assertTrue(d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity() != null,
                    d.getMetadata().getName() + " spreads its replicas over nodes");
        }
    }

    /**
     * Hazelcast authenticates no member and the event bus no peer: their ports are open to the
     * site's own pods and nobody else, on a fixed event bus port the policy can name, and every node
     * holds the site's cluster secret (docs/security.md, The cluster).
     */
    @Test
    void theClusterPortsAreOpenOnlyToTheSitesPodsWhichHoldTheClusterSecret() {
        for (String name : List.of("gmgate-gateway", "gmgate-cosign")) {
            io.gmgate.app.config.ClusterConfig cluster = config(name).cluster();
            assertTrue(cluster.secretFile().isPresent(), name + ": the site's cluster secret comes from a file");
            assertTrue(cluster.eventBusPort() > 0, name + ": a fixed event bus port, or no NetworkPolicy can admit it");
            Deployment d = named(Deployment.class, name);
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            Set<Integer> served = Set.copyOf(ports(d.getSpec().getTemplate().getSpec().getContainers().get(0)).values());
            List<NetworkPolicy> policies = all(NetworkPolicy.class).stream().filter(np -> podLabels.entrySet()
                    .containsAll(np.getSpec().getPodSelector().getMatchLabels().entrySet())).toList();
            assertFalse(policies.isEmpty(), name + ": a NetworkPolicy selects the pods");
            for (int port : List.of(cluster.port(), cluster.eventBusPort())) {
                assertTrue(served.contains(port), name + ": port " + port + " is a container port");
                int admitting = 0;
                for (NetworkPolicy np : policies) {
                    for (var rule : np.getSpec().getIngress()) {
                        boolean opens = rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream()
                                .anyMatch(p -> p.getPort() != null && p.getPort().getIntVal() == port);
                        if (!opens) {
                            continue;
                        }
                        admitting++;
                        assertTrue(rule.getFrom() != null && !rule.getFrom().isEmpty(), np.getMetadata().getName()
                                + " opens cluster port " + port + " to everyone");
                        rule.getFrom().forEach(peer -> assertTrue(peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                && peer.getPodSelector() != null && podLabels.entrySet().containsAll(
                                        peer.getPodSelector().getMatchLabels().entrySet())
                                && peer.getPodSelector().getMatchLabels().containsKey("gmgate.io/cluster"),
                                np.getMetadata().getName() + " admits " + peer + " to cluster port " + port));
                    }
                }
                assertTrue(admitting > 0, name + ": the site's own pods reach cluster port " + port);
            }
        }
    }

    @Test
    void networkPoliciesOpenOnlyPortsThePodsServe() {
        for (NetworkPolicy np : all(NetworkPolicy.class)) {
            Map<String, String> sel = np.getSpec().getPodSelector().getMatchLabels();
            Optional<Deployment> d = all(Deployment.class).stream().filter(x -> x.getSpec().getTemplate().getMetadata()
                    .getLabels().entrySet().containsAll(sel.entrySet())).findFirst();
            if (d.isEmpty()) {
                assertTrue(sel.containsKey("cnpg.io/cluster"), np.getMetadata().getName() + " selects gmgate pods or the database");
                continue;
            }
            Set<Integer> served = Set.copyOf(ports(d.get().getSpec().getTemplate().getSpec().getContainers().get(0)).values());
            np.getSpec().getIngress().forEach(rule -> {
                for (NetworkPolicyPort p : rule.getPorts()) {
                    assertTrue(served.contains(p.getPort().getIntVal()),
                            np.getMetadata().getName() + " opens " + p.getPort().getIntVal() + " which the pod serves");
                }
            });
        }
    }

    @Test
    void theOperatorResourcesAreWellFormed() {
        List<GenericKubernetesResource> generic = all(GenericKubernetesResource.class);
        Set<String> kinds = generic.stream().map(GenericKubernetesResource::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Cluster", "ServiceMonitor")), kinds.toString());
        GenericKubernetesResource pg = generic.stream().filter(g -> g.getKind().equals("Cluster")).findFirst().orElseThrow();
        assertTrue(((Number) ((Map<?, ?>) pg.getAdditionalProperties().get("spec")).get("instances")).intValue() >= 3,
                "PostgreSQL runs as a primary and at least two replicas");
        String secret = named(Deployment.class, "gmgate-gateway").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("db")).findFirst().orElseThrow().getSecret().getSecretName();
        assertEquals(pg.getMetadata().getName() + "-app", secret, "the database secret is the one the operator creates");
        assertTrue(config("gmgate-gateway").database().url().contains(pg.getMetadata().getName() + "-rw"),
                "nodes talk to the operator's read-write service");
    }

    @Test
    void overlaysPatchOnlyWhatTheBaseHas() throws IOException {
        for (String overlay : List.of("staging", "production")) {
            Map<String, Object> k = yaml(Path.of("../deploy/k8s/overlays", overlay, "kustomization.yaml"));
            assertEquals(List.of("../../base"), k.get("resources"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> patches = (List<Map<String, Object>>) k.get("patches");
            for (Map<String, Object> p : patches) {
                @SuppressWarnings("unchecked")
                Map<String, String> target = (Map<String, String>) p.get("target");
                boolean exists = RESOURCES.stream().anyMatch(r -> r.getKind().equals(target.get("kind"))
                        && r.getMetadata().getName().equals(target.get("name")));
                if (!exists) {
                    fail(overlay + " patches " + target + " which base does not define");
                }
            }
        }
    }

    // ---- alert rules and dashboard against what a node really exports ----

    private static Set<String> exported;

    /**
     * Sample names on a real gateway node's and a real cosign node's /metrics, scraped over HTTP as
     * Prometheus does: a demo site (embedded PostgreSQL, card, CA, cosign node, gateway) after one
     * terminal enrolled, logged in with a co-signed handshake, sent a line through the gateway and hung
     * up, so the counters and timers that appear on first use are there too.
     */
    private static synchronized Set<String> exportedMetrics() throws Exception {
        if (exported != null) {
            return exported;
        }
        try (DemoSite site = new DemoSite()) {
            char[] password = "Metrics-Passw0rd-1".toCharArray();
            site.addTrader("9100001", password);
            GmgateClient client = new GmgateClient(new GmgateClient.Options(
                    List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                    List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                    site.directory().resolve("metrics-terminal"), Duration.ofSeconds(3), Duration.ofSeconds(20), 1_000));
            client.enroll("9100001", password, "metrics", "123456".toCharArray());
            try (TlcpSocket s = client.login(password, "123456".toCharArray()).connect()) {
                s.getOutputStream().write("LOGIN 9100001\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertNotNull(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine(),
                        "the front answered through the gateway");
            }
            int admin = site.node().port("admin");
            Set<String> names = scrape(admin);
            // the relay's byte counters are written when the relay has ended, just after the hang-up
            for (int i = 0; i < 100 && !names.contains("gmgate_relay_bytes_total"); i++) {
                Thread.sleep(100);
                names = scrape(admin);
            }
            names.addAll(scrape(site.cosignAdminPort()));
            exported = names;
        }
        return exported;
    }

    private static Set<String> scrape(int adminPort) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Set<String> names = new TreeSet<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    /** The metric names a PromQL expression selects (not its functions, labels, strings or ranges). */
    static Set<String> metricsIn(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    private static List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(g -> g.getKind().equals(kind)).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (GenericKubernetesResource r : generic("PrometheusRule")) {
            for (Map<String, Object> group : (List<Map<String, Object>>) spec(r).get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
        }
        assertFalse(rules.isEmpty(), "deploy/k8s/base has a PrometheusRule with alerts");
        return rules;
    }

    /** The Prometheus job names the ServiceMonitors create: the names of the Services they select. */
    @SuppressWarnings("unchecked")
    private static Set<String> scrapedJobs() {
        Set<String> jobs = new HashSet<>();
        for (GenericKubernetesResource sm : generic("ServiceMonitor")) {
            Map<String, Object> selector = (Map<String, Object>) spec(sm).get("selector");
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec(sm).get("endpoints");
            for (Service s : all(Service.class)) {
                Map<String, String> labels = Optional.ofNullable(s.getMetadata().getLabels()).orElse(Map.of());
                boolean matches = ((Map<String, String>) selector.getOrDefault("matchLabels", Map.of())).entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                        && ((List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())).stream()
                        .allMatch(e -> e.get("operator").equals("In") && ((List<String>) e.get("values")).contains(labels.get((String) e.get("key"))));
                if (matches) {
                    Set<String> ports = s.getSpec().getPorts().stream().map(ServicePort::getName).collect(Collectors.toSet());
                    for (Map<String, Object> e : endpoints) {
                        assertTrue(ports.contains((String) e.get("port")), "ServiceMonitor port " + e.get("port") + " is a port of " + s.getMetadata().getName());
                        assertEquals("/metrics", e.get("path"), "the admin API serves /metrics");
                    }
                    jobs.add(s.getMetadata().getName());
                }
            }
        }
        return jobs;
    }

    private static void readsOnlyExportedMetrics(String what, String expr, List<String> problems) throws Exception {
        Set<String> metrics = metricsIn(expr);
        if (metrics.isEmpty()) {
            problems.add(what + ": no metric found in '" + expr + "'");
        }
        for (String metric : metrics) {
            if (!metric.equals("up") && !exportedMetrics().contains(metric)) {
                problems.add(what + " reads " + metric + ", which no gateway or cosign node exports");
            }
        }
        Matcher up = Pattern.compile("\\bup\\{[^}]*job=\"([^\"]+)\"").matcher(expr);
        while (up.find()) {
            if (!scrapedJobs().contains(up.group(1))) {
                problems.add(what + ": up{job=\"" + up.group(1) + "\"} but the ServiceMonitors scrape " + scrapedJobs());
            }
        }
    }

    @Test
    void metricNamesAreFoundInPromql() {
        assertEquals(Set.of("gmgate_a_total", "gmgate_b", "up"), metricsIn(
                "sum by (pod, result) (rate(gmgate_a_total{result!~\"ok|x_y\"}[5m])) / on(pod) max(gmgate_b) > 0.1 or absent(up{job=\"j\"})"));
    }

    @Test
    void everyAlertReadsOnlyMetricsANodeExports() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : alertRules()) {
            readsOnlyExportedMetrics("alert " + rule.get("alert"), String.valueOf(rule.get("expr")), problems);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nexported: " + exportedMetrics());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardReadsOnlyMetricsANodeExports() throws Exception {
        String json = named(ConfigMap.class, "gmgate-grafana-dashboard").getData().get("gmgate.json");
        Map<String, Object> dashboard = Serialization.unmarshal(json, Map.class);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                readsOnlyExportedMetrics("panel '" + panel.get("title") + "'", (String) target.get("expr"), problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nexported: " + exportedMetrics());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertLinksARunbookThatNamesIt() throws IOException {
        Set<String> linked = new TreeSet<>();
        for (Map<String, Object> rule : alertRules()) {
            String name = (String) rule.get("alert");
            Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            Map<String, String> labels = (Map<String, String>) rule.get("labels");
            assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), name + " has a severity");
            assertNotNull(rule.get("for"), name + " waits before firing, so one bad scrape pages nobody");
            assertNotNull(annotations.get("summary"), name + " has a summary");
            String runbook = annotations.get("runbook_url");
            assertNotNull(runbook, name + " links its runbook");
            Path file = Path.of("..").resolve(runbook);
            assertTrue(runbook.startsWith("docs/runbooks/") && Files.isRegularFile(file), name + ": " + runbook + " exists");
            assertTrue(Files.readString(file).contains(name), runbook + " names the alert " + name + " that links it");
            linked.add(file.getFileName().toString());
        }
        assertTrue(linked.containsAll(Set.of("C1-gateway-nodes-down.md", "C2-cipher-card-failure.md", "C4-cosign-down.md")),
                "appendix C's scenarios have alerts: " + linked);
    }
}
