package io.gmgate.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gmgate.policy.AccessPolicy;

/**
 * The ways a terminal may reach its trading front, and which of them the accepted access policy
 * allows, strongest first (design §5, docs/drills.md). Without a policy, or in NORMAL, only
 * two-way GM; ONE_WAY adds one-way GM for when co-signing is unavailable (C.3, C.4); BYPASS adds
 * the emergency addresses (C.1, C.2) — after two-way, which is still taken whenever it works. During a gradual rollout an account the policy
 * does not yet require on GM may also fall back to the plain path.
 */
public enum TradingPath {
    /** Two-way TLCP with a co-signed CertificateVerify: the gateway knows who trades. */
    TWO_WAY,
    /** One-way TLCP: encrypted, but the trader logs in to the counter in-band. */
    ONE_WAY,
    /** Plain TCP to an emergency address: no GM protection at all. */
    PLAIN;

    /** The paths to try, in order, for {@code account} under {@code policy}. */
    public static List<TradingPath> allowed(Optional<AccessPolicy> policy, String account) {
        List<TradingPath> paths = new ArrayList<>();
        AccessPolicy.Mode mode = policy.map(AccessPolicy::mode).orElse(AccessPolicy.Mode.NORMAL);
        paths.add(TWO_WAY); // first in every mode: a BYPASS policy allows the plain path, it does not require it
        if (mode == AccessPolicy.Mode.BYPASS) {
            paths.add(PLAIN);
            return paths;
        }
        if (mode == AccessPolicy.Mode.ONE_WAY) {
            paths.add(ONE_WAY);
        }
        boolean required = policy.map(p -> p.rollout().requiresGm(account)).orElse(true);
        if (!required && !policy.get().emergency().isEmpty()) {
            paths.add(PLAIN);
        }
        return paths;
    }
}
