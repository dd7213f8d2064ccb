package io.gmgate.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.error.GmgateException;

/**
 * A terminal's gate for access policies (design §5): only a policy signed by the firm's policy
 * key, inside its validity window (with a small allowance for clock skew), and not older than the
 * last one accepted, may change the endpoints or the mode — so an attacker on the network cannot
 * replay an old BYPASS policy or forge a downgrade.
 */
public final class AccessPolicyVerifier {

    private final Sm2PublicKey policyKey;
    private final Clock clock;
    private final Duration skew;
    private final long floor;
    private AccessPolicy accepted;

    public AccessPolicyVerifier(Sm2PublicKey policyKey, Clock clock, Duration skew, Optional<AccessPolicy> lastAccepted) {
        this(policyKey, clock, skew, lastAccepted, OptionalLong.empty());
    }

    /** As above, also refusing any serial below {@code floor}: the highest this device ever verified. */
    public AccessPolicyVerifier(Sm2PublicKey policyKey, Clock clock, Duration skew, Optional<AccessPolicy> lastAccepted,
                                OptionalLong floor) {
        this.policyKey = policyKey;
        this.clock = clock;
        this.skew = skew;
        this.accepted = lastAccepted.orElse(null);
        this.floor = floor.orElse(Long.MIN_VALUE);
    }

    /** Checks a signed policy; on success it becomes the accepted one and is returned. */
    public synchronized AccessPolicy accept(byte[] signed) {
        byte[] body = SignedPolicy.body(signed);
        if (!Sm2Signer.verify(policyKey, Sm2Signer.defaultId(), body, SignedPolicy.signature(signed))) {
            throw SignedPolicy.unsigned("the signature does not verify under the firm's policy key");
        }
        AccessPolicy p = decode(body);
        var now = clock.instant();
        if (!p.inForceAt(now, skew)) {
            throw new GmgateException(PolicyErrors.POLICY_STALE, "policy #" + p.serial() + " (" + p.mode() + ") is valid "
                    + p.issuedAt() + " to " + p.notAfter() + ", not at " + now);
        }
        if (accepted != null && p.serial() < accepted.serial()) {
            throw new GmgateException(PolicyErrors.POLICY_STALE, "policy #" + p.serial() + " is older than the accepted #"
                    + accepted.serial() + " (a replay?)");
        }
        if (p.serial() < floor) {
            throw new GmgateException(PolicyErrors.POLICY_STALE, "policy #" + p.serial() + " is older than #" + floor
                    + " this device verified before (a replay?)");
        }
        accepted = p;
        return p;
    }

    /** A policy's bytes, or POLICY_UNSIGNED when they do not parse. */
    static AccessPolicy decode(byte[] body) {
        try {
            return AccessPolicy.decode(body);
        } catch (IllegalArgumentException e) {
            throw new GmgateException(PolicyErrors.POLICY_UNSIGNED, e.getMessage(), e);
        }
    }

    public synchronized Optional<AccessPolicy> current() {
        return Optional.ofNullable(accepted);
    }
}
