package io.gmgate.app.deploy;

import java.util.concurrent.TimeUnit;

import io.gmgate.session.ClusterIdentity;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSettings;
import io.vertx.core.VertxOptions;

/** A child JVM's main for {@link HazelcastModuleAccessTest}: starts one cluster node as {@code gmgate serve} does, then leaves. */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterNode node = ClusterNode.start(ClusterSettings.loopback(Integer.parseInt(args[0]),
                ClusterIdentity.random("hz-access-" + ProcessHandle.current().pid())), new VertxOptions())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("cluster node up");
        System.out.flush();
        node.close();
        System.exit(0);
    }
}
