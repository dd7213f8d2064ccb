package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.config.ConfigFile;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.session.ClusterNode;
import io.gmgate.testkit.ClusterPorts;
import io.vertx.core.VertxOptions;

/**
 * docs/security.md, "The cluster": two unrelated demo sites on one host merged into one cluster (one name for every
 * cluster, members found by scanning the same loopback ports). Two sites started from default
 * settings on the same port range stay apart; two nodes of one site, holding its secret, still meet.
 */
class SiteMergeAttackTest {

    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    void twoSitesWithDefaultSettingsOnOneHostNeverMerge(@TempDir Path dir) throws Exception {
        int port = ClusterPorts.freeBase();
        ClusterNode siteA = start("node: {name: a-1, site: a}\ncluster: {host: 127.0.0.1, port: " + port + "}\n");
        ClusterNode siteB = start("node: {name: b-1, site: b}\ncluster: {host: 127.0.0.1, port: " + port + "}\n");
        assertNotEquals(siteA.memberAddress(), siteB.memberAddress());
        // a TCP-IP join is done when start() returns: B found A on the shared range and was turned away
        assertEquals(1, members(siteA), "site a kept to itself");
        assertEquals(1, members(siteB), "site b kept to itself");
        ClusterNode sameNameAsA = start("node: {name: a-2, site: a}\ncluster: {host: 127.0.0.1, port: " + port + "}\n");
        assertEquals(1, members(sameNameAsA), "even a node of the same site name without the secret is a cluster of its own");

        // the control: nodes of one site that share its secret file do form one cluster
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "0123456789abcdef".repeat(4) + "\n");
        int sitePort = ClusterPorts.freeBase();
        String site = "cluster: {host: 127.0.0.1, port: " + sitePort + ", secretFile: '" + secret + "'}\n";
        ClusterNode c1 = start("node: {name: c-1, site: c}\n" + site);
        ClusterNode c2 = start("node: {name: c-2, site: c}\n" + site);
        ForeignClusterMemberAttackTest.await("the site's two nodes meet", () -> members(c1) == 2 && members(c2) == 2);
        assertEquals(1, members(siteA), "and site a is still alone");
    }

    private ClusterNode start(String yaml) throws Exception {
        GmgateConfig cfg = GmgateConfig.from(ConfigFile.parse(yaml, "site.yaml"));
        ClusterNode n = ClusterNode.start(cfg.cluster().settings(), new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        nodes.add(n);
        return n;
    }

    private static int members(ClusterNode n) {
        return n.hazelcast().getCluster().getMembers().size();
    }
}
