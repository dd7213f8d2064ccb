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
 */
public final class ClusterNode implements AutoCloseable {

    private final Vertx vertx;
    private final HazelcastClusterManager manager;

    private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
        this.vertx = vertx;
        this.manager = manager;
    }

    public static Future<ClusterNode> start(ClusterSettings s, VertxOptions options) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName("gmgate");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, s.heartbeat().toSeconds())));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, s.memberTimeout().toSeconds())));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        NetworkConfig net = config.getNetworkConfig();
        net.setPort(s.port()).setPortAutoIncrement(true).setPortCount(20);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (s.kubernetesService().isPresent()) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-name", s.kubernetesService().get());
        } else {
            config.setProperty("hazelcast.local.localAddress", s.host());
            net.getInterfaces().setEnabled(true).addInterface(s.host());
            join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
        }
        HazelcastClusterManager manager = new HazelcastClusterManager(config);
        options.setEventBusOptions(new EventBusOptions().setHost(s.host()).setPort(0));
        return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                .map(v -> new ClusterNode(v, manager))
                .recover(e -> Future.failedFuture(new SessionException(SessionErrors.CLUSTER_DOWN,
                        "could not join the cluster from " + s.host() + ":" + s.port() + ": " + e.getMessage(), e)));
    }

    public Vertx vertx() {
        return vertx;
    }

    public HazelcastInstance hazelcast() {
        return manager.getHazelcastInstance();
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
