package io.gmgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Where a test cluster's Hazelcast members start looking for a port: one the kernel just handed out
 * on loopback, so two builds on one host do not start from the same number. Hazelcast counts up from
 * it if it is taken by the time the member binds, and the cluster's own random name keeps members of
 * another test out even then.
 */
public final class ClusterPorts {

    private ClusterPorts() {
    }

    /** A free loopback port with room above it for Hazelcast's auto-increment (20 ports). */
    public static int freeBase() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() > 65_000 ? 45_000 : s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
