package io.gmgate.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.vertx.core.VertxOptions;

/**
 * A cluster member in its own JVM, so a test can really kill it (SIGKILL: no leave message, no
 * partition hand-over). It joins on loopback, registers some terminals as carried by itself, prints
 * {@code READY <member id>}, and lives until killed or until its parent closes its stdin.
 */
public final class ClusterMemberProcess {

    private ClusterMemberProcess() {
    }

    static ClusterSettings settings(int basePort, ClusterIdentity identity) {
        return new ClusterSettings("127.0.0.1", basePort, 0, List.of("127.0.0.1"), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(3), identity);
    }

    public static void main(String[] args) throws Exception {
        int basePort = Integer.parseInt(args[0]);
        int terminals = Integer.parseInt(args[1]);
        // the parent's cluster: its name and secret (hex) on the command line, a test-only shortcut
        ClusterIdentity identity = new ClusterIdentity(args[2], java.util.HexFormat.of().parseHex(args[3]));
        ClusterNode node = ClusterNode.start(settings(basePort, identity), new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        OnlineRegistry online = new OnlineRegistry(node.hazelcast());
        for (int i = 0; i < terminals; i++) {
            online.opened(new OnlineTerminal("child-" + i, "", "trading", "9" + i, "10.0.9." + i, "TLCP1.1",
                    "ECC_SM4_GCM_SM3", Instant.now(), 100L * i, 200L * i)).toCompletableFuture().join();
        }
        System.out.println("READY " + online.node());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent; EOF means it is gone and so should we be
        }
        System.exit(0);
    }
}
