package io.gmgate.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm3;

/**
 * Which cluster a node belongs to: the site's cluster name and the secret every node of the site
 * shares (docs/security.md "The cluster"). Hazelcast's open-source edition authenticates no member,
 * so the name Hazelcast compares on join is derived from both: a member that does not hold the
 * secret cannot guess it, and two sites on one host never merge.
 */
public record ClusterIdentity(String name, byte[] secret) {

    /** Below this a secret is guessable; 16 random bytes is what {@link #random} draws. */
    public static final int MIN_SECRET_BYTES = 16;

    public ClusterIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a cluster needs a name");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("cluster " + name + ": the secret has " + secret.length
                    + " bytes, at least " + MIN_SECRET_BYTES + " are needed");
        }
        secret = secret.clone();
    }

    /** A cluster of its own: what the demo, tests and a single node without a secret file use. */
    public static ClusterIdentity random(String name) {
        return new ClusterIdentity(name, GmRandom.bytes(32));
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * The name Hazelcast sees: SM3(secret ‖ 0x00 ‖ name). It travels in clear in join requests, so
     * it keeps out members that were never told the secret, not an eavesdropper on the cluster
     * network (that is the NetworkPolicy's job).
     */
    public String hazelcastName() {
        byte[] digest = Sm3.digest(secret, new byte[] {0}, name.getBytes(StandardCharsets.UTF_8));
        return "gmgate-" + HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterIdentity c && c.name.equals(name) && MessageDigest.isEqual(c.secret, secret);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ClusterIdentity[name=" + name + ", secret=[redacted]]";
    }
}
