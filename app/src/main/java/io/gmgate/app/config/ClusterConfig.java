package io.gmgate.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.session.ClusterSettings;

/**
 * The {@code cluster:} section: how this node finds the others. Either fixed members (hosts) or
 * the Kubernetes service whose endpoints are the members (the headless service of deploy/k8s).
 */
public record ClusterConfig(ClusterSettings settings, Duration modeRefresh, boolean configured) {

    static ClusterConfig read(ConfigNode n) {
        String host = n.string("host", "127.0.0.1");
        int port = n.port("port", 5701);
        List<String> members = n.strings("members");
        Optional<String> k8s = n.optionalString("kubernetesService");
        if (members.isEmpty() && k8s.isEmpty()) {
            members = List.of(host);
        }
        ClusterConfig c = new ClusterConfig(new ClusterSettings(host, port, members, k8s,
                n.duration("heartbeat", Duration.ofSeconds(1)), n.duration("memberTimeout", Duration.ofSeconds(5))),
                n.duration("modeRefresh", Duration.ofSeconds(1)), true);
        n.done();
        return c;
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(ClusterSettings.loopback(5701), Duration.ofSeconds(1), false);
    }
}
