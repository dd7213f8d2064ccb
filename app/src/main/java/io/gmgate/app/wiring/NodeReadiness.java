package io.gmgate.app.wiring;

import java.util.List;

import io.gmgate.crypto.card.CardHealth;
import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.admin.ReadinessCheck;
import io.gmgate.session.ClusterNode;

/** What a gateway node needs before it is ready to serve: its card, the database, the cluster and a trading front. */
final class NodeReadiness {

    private NodeReadiness() {
    }

    static List<ReadinessCheck> checks(NodeStores stores, ClusterNode cluster, FrontPool tradingFronts, int configuredFronts) {
        return List.of(
                check("card", () -> {
                    CardHealth h = stores.card().health();
                    if (!h.healthy()) {
                        throw new IllegalStateException(h.detail());
                    }
                    return h.card() + " ok in " + h.probeMillis() + " ms";
                }),
                check("database", () -> {
                    try (var c = stores.database().getConnection(); var st = c.createStatement();
                         var rs = st.executeQuery("SELECT count(*) FROM gm_access_modes")) {
                        rs.next();
                        return "ok, " + rs.getLong(1) + " mode settings";
                    }
                }),
                check("cluster", () -> cluster.members() + " members"),
                check("fronts", () -> {
                    int up = tradingFronts.healthyFronts();
                    if (up == 0) {
                        throw new IllegalStateException("no trading front reachable");
                    }
                    return up + " of " + configuredFronts + " trading fronts up";
                }));
    }

    private interface Probe {
        String run() throws Exception;
    }

    private static ReadinessCheck check(String name, Probe probe) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String check() throws Exception {
                return probe.run();
            }
        };
    }
}
