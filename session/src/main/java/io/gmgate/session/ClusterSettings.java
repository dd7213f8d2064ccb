package io.gmgate.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a node joins the cluster: its bind address and port, the members to contact (TCP-IP join:
 * loopback in tests, fixed addresses on hosts), or the Kubernetes service whose endpoints are the
 * members, and how fast a silent member is declared gone (design §14: the 60 s default is too slow
 * for failover).
 */
public record ClusterSettings(String host, int port, List<String> members, Optional<String> kubernetesService,
                              Duration heartbeat, Duration memberTimeout) {

    public ClusterSettings {
        members = List.copyOf(members);
        if (members.isEmpty() && kubernetesService.isEmpty()) {
            throw new IllegalArgumentException("cluster needs member addresses or a Kubernetes service");
        }
    }

    /** Loopback, for tests and the one-machine demo: members found on 127.0.0.1 ports from {@code port}. */
    public static ClusterSettings loopback(int port) {
        return new ClusterSettings("127.0.0.1", port, List.of("127.0.0.1"), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
    }
}
