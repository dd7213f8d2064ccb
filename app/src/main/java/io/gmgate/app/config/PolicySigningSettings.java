package io.gmgate.app.config;

import java.time.Duration;

/**
 * The optional {@code policy:} section: how long {@code gmgate policy sign} makes an access policy
 * valid when {@code --valid} is not given, and the longest a policy allowing less than two-way GM
 * (ONE_WAY, BYPASS, an incomplete rollout) may be valid without {@code --force}. A downgrade is
 * short-lived by default so a captured one is soon useless and one left on by accident lapses into
 * NORMAL on every terminal; the SRE re-signs while an emergency lasts (docs/security.md).
 */
public record PolicySigningSettings(Duration normalValidity, Duration weakerValidity, Duration weakerMaxValidity) {

    public static final PolicySigningSettings DEFAULTS = new PolicySigningSettings(Duration.ofHours(24), Duration.ofHours(2),
            Duration.ofHours(8));

    public PolicySigningSettings {
        for (Duration d : new Duration[] {normalValidity, weakerValidity, weakerMaxValidity}) {
            if (d.isZero() || d.isNegative()) {
                throw new ConfigException("policy: validities must be positive, got " + d);
            }
        }
        if (weakerValidity.compareTo(weakerMaxValidity) > 0) {
            throw new ConfigException("policy.weakerValidity (" + weakerValidity + ") is longer than policy.weakerMaxValidity ("
                    + weakerMaxValidity + ")");
        }
    }

    static PolicySigningSettings read(ConfigNode n) {
        PolicySigningSettings s = new PolicySigningSettings(n.duration("normalValidity", DEFAULTS.normalValidity()),
                n.duration("weakerValidity", DEFAULTS.weakerValidity()), n.duration("weakerMaxValidity",
                DEFAULTS.weakerMaxValidity()));
        n.done();
        return s;
    }
}
