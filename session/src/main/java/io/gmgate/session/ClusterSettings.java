package io.gmgate.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a node joins the cluster: its bind address and port (the member listens on that address
 * only), the members to contact (TCP-IP join: loopback in tests, fixed addresses on hosts), or the
 * Kubernetes service whose endpoints are the members, how fast a silent member is declared gone
 * (design §14: the 60 s default is too slow for failover), and the site's cluster identity. The
 * event bus listens on the same address, on {@code eventBusPort} (0: any free port, fine where no
 * NetworkPolicy has to name it).
 */
public record ClusterSettings(String host, int port, int eventBusPort, List<String> members, Optional<String> kubernetesService,
                              Duration heartbeat, Duration memberTimeout, ClusterIdentity identity) {

    public ClusterSettings {
        members = List.copyOf(members);
        if (members.isEmpty() && kubernetesService.isEmpty()) {
            throw new IllegalArgumentException("cluster needs member addresses or a Kubernetes service");
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("*")) {
            throw new IllegalArgumentException("cluster host " + host + " is a wildcard: members bind to one address only");
        }
    }

    /**
     * Loopback, for tests and the one-machine demo: members found on 127.0.0.1 ports from {@code port}
     * (pass a free port; Hazelcast counts up from it), in the cluster {@code identity} names — give
     * every test class or demo site its own ({@link ClusterIdentity#random}).
     */
    public static ClusterSettings loopback(int port, ClusterIdentity identity) {
        return new ClusterSettings("127.0.0.1", port, 0, List.of("127.0.0.1"), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(5), identity);
    }
}
