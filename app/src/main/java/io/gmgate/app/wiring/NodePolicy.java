package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.policy.Rollout;
import io.gmgate.session.DegradationSettings;

/**
 * What a gateway node admits and when it changes its mind: admission limits, how often it re-reads
 * the access modes, the rule that degrades when the cosign nodes are down, the gradual rollout (which
 * keeps the plain path open while incomplete), and the clock all of them read.
 */
public record NodePolicy(AdmissionPolicy admission, Duration modeRefresh, Optional<DegradationSettings> cosignDown,
                         Rollout rollout, Clock clock) {

    /** Everyone on GM (no rollout in progress) and no cosign-down rule. */
    public static NodePolicy of(AdmissionPolicy admission, Duration modeRefresh, Clock clock) {
        return new NodePolicy(admission, modeRefresh, Optional.empty(), Rollout.EVERYONE, clock);
    }

    public NodePolicy withRollout(Rollout rollout) {
        return new NodePolicy(admission, modeRefresh, cosignDown, rollout, clock);
    }

    public NodePolicy withClock(Clock clock) {
        return new NodePolicy(admission, modeRefresh, cosignDown, rollout, clock);
    }
}
