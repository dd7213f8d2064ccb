package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.session.AccessMode;
import io.gmgate.session.Scope;
import io.gmgate.ports.ReservedPort;

/**
 * The gauges the alerts read, on real nodes of a demo site: one whose trading front answers and one
 * whose front is a closed port — the mode, healthy fronts and readiness each node reports.
 */
class NodeGaugesTest {

    /** Waits (bounded) for the gauge to read {@code expected}; the samplers and probes run on their own timers. */
    private static void eventually(double expected, DoubleSupplier gauge, String what) throws InterruptedException {
        double seen = gauge.getAsDouble();
        for (int i = 0; i < 300 && seen != expected; i++) {
            Thread.sleep(100);
            seen = gauge.getAsDouble();
        }
        assertEquals(expected, seen, what);
    }

    private static DoubleSupplier gauge(GatewayNode node, String name, String tag, String value) {
        return () -> node.metrics().get(name).tag(tag, value).gauge().value();
    }

    @Test
    void modeFrontsAndReadinessAsEachNodeSeesThem() throws Exception {
        try (DemoSite site = new DemoSite()) {
            int closedPort = ReservedPort.forThisJvm();
            GatewayNode served = site.node();
            GatewayNode cutOff = site.addGatewayNode("cut-off", closedPort);

            eventually(1, gauge(served, NodeGauges.FRONTS_HEALTHY, "pool", "fronts"), "the demo front answers");
            eventually(1, gauge(served, NodeGauges.FRONTS_CONFIGURED, "pool", "fronts"), "one front configured");
            eventually(1, gauge(served, NodeGauges.FRONTS_HEALTHY, "pool", "cosign"), "the cosign node answers");
            eventually(1, gauge(served, NodeGauges.READY, "check", "card"), "the software card is healthy");
            eventually(1, gauge(served, NodeGauges.READY, "check", "fronts"), "readiness: fronts up");

            eventually(0, gauge(cutOff, NodeGauges.FRONTS_HEALTHY, "pool", "fronts"), "nothing listens on the cut-off node's front");
            eventually(0, gauge(cutOff, NodeGauges.READY, "check", "fronts"), "so its readiness check fails");
            eventually(1, gauge(cutOff, NodeGauges.READY, "check", "card"), "while its card is fine");

            eventually(0, gauge(served, NodeGauges.ACCESS_MODE, "listener", "trading"), "NORMAL");
            served.modes().set(Scope.CLUSTER, AccessMode.BYPASS, "NodeGaugesTest", "test", Optional.of(Duration.ofMinutes(5)));
            eventually(2, gauge(served, NodeGauges.ACCESS_MODE, "listener", "trading"), "BYPASS on this node");
            eventually(2, gauge(cutOff, NodeGauges.ACCESS_MODE, "listener", "trading"), "and on the other node of the cluster");
            served.modes().set(Scope.CLUSTER, AccessMode.ONE_WAY, "NodeGaugesTest", "test", Optional.of(Duration.ofMinutes(5)));
            eventually(1, gauge(served, NodeGauges.ACCESS_MODE, "listener", "trading"), "ONE_WAY");
            served.modes().set(Scope.CLUSTER, AccessMode.NORMAL, "NodeGaugesTest back", "test", Optional.empty());
            eventually(0, gauge(served, NodeGauges.ACCESS_MODE, "listener", "trading"), "back to NORMAL");
        }
    }
}
