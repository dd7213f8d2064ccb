package io.gmgate.sdk;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gmgate.error.GmgateException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Which trading path a terminal takes (design §5, docs/drills.md): the rules, apart from the sockets.
 * Two-way GM always first; a weaker path only if the stronger ones are unavailable — never after a
 * refusal (wrong PIN, locked or revoked key, wrong password) — and only once the firm's newest policy
 * has been asked for and still allows it.
 */
final class PathChoice {

    /** How each path is opened, and how the firm's current policy is asked for before the first weaker one. */
    interface Paths {
        TlcpSocket twoWay();

        TlcpSocket oneWay();

        Socket plain(Optional<AccessPolicy> inForce);

        /** The policy to go by after asking the cosign nodes for the newest (the held one if they cannot say). */
        Optional<AccessPolicy> confirmWeaker(Optional<AccessPolicy> held);
    }

    private PathChoice() {
    }

    static TradingChannel open(String account, Optional<AccessPolicy> inForce, Paths open) {
        Optional<AccessPolicy> policy = inForce;
        List<TradingPath> paths = new ArrayList<>(TradingPath.allowed(policy, account));
        int allowed = paths.size();
        List<String> failures = new ArrayList<>();
        GmgateException first = null;
        boolean confirmed = false;
        while (!paths.isEmpty()) {
            TradingPath path = paths.remove(0);
            if (path != TradingPath.TWO_WAY && !confirmed) {
                confirmed = true;
                policy = open.confirmWeaker(policy);
                List<TradingPath> still = TradingPath.allowed(policy, account);
                paths.removeIf(p -> !still.contains(p));
                if (!still.contains(path)) {
                    failures.add(path + ": not allowed by the firm's current policy "
                            + policy.map(p -> "#" + p.serial() + " (" + p.mode() + ")").orElse("(none in force: NORMAL)"));
                    continue;
                }
            }
            try {
                switch (path) {
                    case TWO_WAY:
                        return TradingChannel.secure(TradingPath.TWO_WAY, open.twoWay());
                    case ONE_WAY:
                        return TradingChannel.secure(TradingPath.ONE_WAY, open.oneWay());
                    default:
                        return TradingChannel.plain(open.plain(policy));
                }
            } catch (GmgateException e) {
                if (!unavailable(e)) {
                    throw e;
                }
                failures.add(path + ": " + e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (allowed == 1 && first != null) {
            throw first;
        }
        throw new SdkException(SdkErrors.NO_ALLOWED_PATH, String.join("; ", failures), first);
    }

    /** Down or unreachable rather than a refusal; a device never enrolled counts (C.3: new terminals get in one-way). */
    private static boolean unavailable(GmgateException e) {
        return e.errorCode().retryable() || e.errorCode().equals(SdkErrors.NOT_ENROLLED);
    }
}
