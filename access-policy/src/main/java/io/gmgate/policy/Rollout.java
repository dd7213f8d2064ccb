package io.gmgate.policy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import io.gmgate.crypto.Sm3;

/**
 * Which accounts must already use GM during a gradual rollout (design §5, docs/session.md, "Gradual rollout": terminals
 * go live in batches): those listed, plus a share of all accounts chosen by a stable hash, so raising
 * the share from 10 to 30 keeps the first 10 % in. The rest may still use the plain (legacy) path.
 * Terminals read it from the signed access policy; the trading counter applies the same rule to
 * plain logins, so the two never disagree about an account.
 */
public record Rollout(Set<String> accounts, int sharePercent) {

    /** Everyone uses GM: the end state, and what a policy without a rollout means. */
    public static final Rollout EVERYONE = new Rollout(Set.of(), 100);

    public Rollout {
        if (sharePercent < 0 || sharePercent > 100) {
            throw new IllegalArgumentException("rollout share must be 0..100 %, got " + sharePercent);
        }
        accounts = Set.copyOf(new TreeSet<>(accounts));
    }

    public boolean requiresGm(String account) {
        return sharePercent == 100 || accounts.contains(account) || bucket(account) < sharePercent;
    }

    /** True until every account is in: the plain path must stay reachable for the others. */
    public boolean incomplete() {
        return sharePercent < 100;
    }

    /** 0..99, from SM3 of the account: the same on every terminal, node and counter. */
    static int bucket(String account) {
        byte[] h = Sm3.digest(account.getBytes(StandardCharsets.UTF_8));
        return (((h[0] & 0xFF) << 8) | (h[1] & 0xFF)) % 100;
    }

    @Override
    public String toString() {
        return sharePercent == 100 ? "everyone" : sharePercent + " % of accounts plus " + accounts.size() + " listed";
    }
}
