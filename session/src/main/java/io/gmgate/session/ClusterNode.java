package io.gmgate.session;

import java.util.concurrent.TimeUnit;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x on Hazelcast (design §14): TCP-IP join with multicast and auto-detection off,
 * Kubernetes discovery when configured, heartbeats tuned so a dead member leaves within seconds.
 * The member and the event bus listen on the configured address only, and the Hazelcast cluster
 * name is derived from the site's name and secret (docs/security.md "The cluster").
 */
public final class ClusterNode implements AutoCloseable {

    private final Vertx vertx;
    private final HazelcastClusterManager manager;

    private final ClusterIdentity identity;

    private ClusterNode(Vertx vertx, HazelcastClusterManager manager, ClusterIdentity identity) {
        this.vertx = vertx;
        this.manager = manager;
        this.identity = identity;
    }

    public static Future<ClusterNode> start(ClusterSettings s, VertxOptions options) {
        HazelcastCompletions.install();
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(s.identity().hazelcastName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, s.heartbeat().toSeconds())));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, s.memberTimeout().toSeconds())));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // without these Hazelcast binds 0.0.0.0 whatever the interfaces say
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.server.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", s.host());
        NetworkConfig net = config.getNetworkConfig();
        net.setPort(s.port()).setPortAutoIncrement(true).setPortCount(20);
        net.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(s.host()));
        net.setPublicAddress(s.host());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (s.kubernetesService().isPresent()) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-name", s.kubernetesService().get());
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
        }
        HazelcastClusterManager manager = new HazelcastClusterManager(config);
        options.setEventBusOptions(new EventBusOptions().setHost(s.host()).setPort(s.eventBusPort()));
        return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                .map(v -> new ClusterNode(v, manager, s.identity()))
                .recover(e -> Future.failedFuture(new SessionException(SessionErrors.CLUSTER_DOWN,
                        "could not join the cluster " + s.identity().name() + " from " + s.host() + ":" + s.port() + ": "
                                + e.getMessage(), e)));
    }

    public Vertx vertx() {
        return vertx;
    }

    public HazelcastInstance hazelcast() {
        return manager.getHazelcastInstance();
    }

    /** The site's cluster identity: its name labels what this node seals for the cluster. */
    public ClusterIdentity identity() {
        return identity;
    }

    /** Where this member listens for other members. */
    public java.net.InetSocketAddress memberAddress() {
        try {
            return hazelcast().getCluster().getLocalMember().getAddress().getInetSocketAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where this node's event bus listens (port 0 in the settings: the port it got). */
    public java.net.InetSocketAddress eventBusAddress() {
        return new java.net.InetSocketAddress(manager.getNodeInfo().host(), manager.getNodeInfo().port());
    }

    public String nodeId() {
        return manager.getNodeId();
    }

    public int members() {
        return manager.getNodes().size();
    }

    /**
     * Leaves the cluster gracefully (Hazelcast hands this member's partitions over first, which takes
     * a few seconds); several nodes of one process can leave at once.
     */
    public Future<Void> leave() {
        return vertx.close();
    }

    @Override
    public void close() {
        try {
            leave().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new SessionException(SessionErrors.CLUSTER_DOWN, "node did not leave the cluster cleanly: " + e.getMessage(), e);
        }
    }
}
