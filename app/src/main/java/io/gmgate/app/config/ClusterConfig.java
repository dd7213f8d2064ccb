package io.gmgate.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.session.ClusterIdentity;
import io.gmgate.session.ClusterSettings;

/**
 * The {@code cluster:} section: how this node finds the others — fixed members (hosts) or the
 * Kubernetes service whose endpoints are the members — the address it listens on (that address
 * only), and which cluster it belongs to: the site's {@code name} and the secret in
 * {@code secretFile}, the same on every node of the site. A node with no other member to join and
 * no secret gets a random one: a cluster of its own, so two sites on one host never merge.
 */
public record ClusterConfig(String host, int port, int eventBusPort, List<String> members, Optional<String> kubernetesService,
                            Duration heartbeat, Duration memberTimeout, String name, Optional<String> secretFile,
                            Duration modeRefresh, boolean configured) {

    /** Shorter secrets are guessable; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_SECRET_CHARS = 32;

    public ClusterConfig {
        members = List.copyOf(members);
    }

    static ClusterConfig read(ConfigNode n, String site) {
        String host = n.string("host", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("*")) {
            throw n.error(n.path() + ".host", "is a wildcard: a member binds to one address (the pod IP, the host's cluster "
                    + "network address), never all of them");
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            throw n.error(n.path() + ".host", "must be an IP address (Hazelcast binds to an interface address, not a name), "
                    + "got '" + host + "'");
        }
        int port = n.port("port", 5701);
        List<String> members = n.strings("members");
        Optional<String> k8s = n.optionalString("kubernetesService");
        if (members.isEmpty() && k8s.isEmpty()) {
            members = List.of(host);
        }
        Optional<String> secretFile = n.optionalString("secretFile");
        if (secretFile.isEmpty() && (members.size() > 1 || k8s.isPresent())) {
            throw n.error(n.path() + ".secretFile", "is required when the node joins other members: a file whose first line "
                    + "is the site's cluster secret (at least " + MIN_SECRET_CHARS + " characters, e.g. openssl rand -hex 32), "
                    + "the same on every node of the site");
        }
        ClusterConfig c = new ClusterConfig(host, port, n.integer("eventBusPort", 0, 0, 65_535), members, k8s, n.duration("heartbeat", Duration.ofSeconds(1)),
                n.duration("memberTimeout", Duration.ofSeconds(5)), n.string("name", site), secretFile,
                n.duration("modeRefresh", Duration.ofSeconds(1)), true);
        n.done();
        return c;
    }

    public static ClusterConfig defaults(String site) {
        return new ClusterConfig("127.0.0.1", 5701, 0, List.of("127.0.0.1"), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(5), site, Optional.empty(), Duration.ofSeconds(1), false);
    }

    /**
     * The settings a node starts with; reads the secret file now (it is a Kubernetes Secret mounted
     * at start), or draws a random secret when there is none.
     */
    public ClusterSettings settings() {
        return new ClusterSettings(host, port, eventBusPort, members, kubernetesService, heartbeat, memberTimeout, identity());
    }

    ClusterIdentity identity() {
        if (secretFile.isEmpty()) {
            return ClusterIdentity.random(name);
        }
        String secret;
        try {
            List<String> lines = Files.readAllLines(Path.of(secretFile.get()), StandardCharsets.UTF_8);
            secret = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read the cluster secret from " + secretFile.get() + ": " + e.getMessage());
        }
        if (secret.length() < MIN_SECRET_CHARS) {
            throw new ConfigException("the cluster secret in " + secretFile.get() + " has " + secret.length()
                    + " characters, at least " + MIN_SECRET_CHARS + " are needed (openssl rand -hex 32)");
        }
        return new ClusterIdentity(name, secret.getBytes(StandardCharsets.UTF_8));
    }
}
