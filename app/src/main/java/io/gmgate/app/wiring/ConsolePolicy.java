package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.error.GmgateException;
import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.session.PgPolicyStore;

/**
 * The console's "then signs and publishes the next access policy" (docs/console.md): the newest published
 * policy, checked under the card's policy key, gives the endpoints and rollout; the next serial
 * carries the new mode, valid as {@code gmgate policy sign} would make it (a downgrade no longer
 * than its time-to-live nor policy.weakerMaxValidity). When a custodian step is missing — no policy
 * key in the card, no first policy to take the endpoints from, a newest policy the key did not
 * sign — it says which, with ADMIN-304, and publishes nothing.
 */
final class ConsolePolicy {

    /** Where {@code gmgate policy key} creates the policy key by default. */
    static final int POLICY_KEY = 203;
    private static final Duration NORMAL_VALIDITY = Duration.ofHours(24);
    private static final Duration WEAKER_MAX_VALIDITY = Duration.ofHours(8);
    // read back only for its endpoints and serial: an expired newest policy is still the right template
    private static final Duration ANY_AGE = Duration.ofDays(36_500);

    private final String node;
    private final DataSource database;
    private final CipherCard card;
    private final Clock clock;

    ConsolePolicy(String node, DataSource database, CipherCard card, Clock clock) {
        this.node = node;
        this.database = database;
        this.card = card;
        this.clock = clock;
    }

    Map<String, Object> publish(String mode, Optional<Duration> ttl, String operator) {
        AccessPolicy.Mode next = AccessPolicy.Mode.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
        Sm2PublicKey key;
        try {
            key = card.sm2PublicKey(POLICY_KEY);
        } catch (GmgateException absent) {
            throw missing("the card holds no policy key at index " + POLICY_KEY
                    + ": a key custodian must create it with `gmgate policy key` and hand its public key to terminals");
        }
        PgPolicyStore store = new PgPolicyStore(database);
        byte[] newest = store.newest().orElseThrow(() -> missing("no access policy has been published yet, so the"
                + " endpoints terminals should use are unknown: sign and publish the first one with `gmgate policy sign`"
                + " and `gmgate policy publish`"));
        AccessPolicy last;
        try {
            last = new AccessPolicyVerifier(key, clock, ANY_AGE, Optional.empty()).accept(newest);
        } catch (GmgateException e) {
            throw missing("the newest published policy does not verify under the card's policy key (" + e.getMessage()
                    + "): re-sign and publish it with `gmgate policy sign` and `gmgate policy publish`");
        }
        if (next == AccessPolicy.Mode.BYPASS && last.emergency().isEmpty()) {
            throw missing("policy #" + last.serial() + " names no emergency (bypass) endpoint for terminals to go to:"
                    + " sign and publish one with `gmgate policy sign --emergency site=host:port` first");
        }
        Instant now = clock.instant();
        AccessPolicy draft = new AccessPolicy(last.serial() + 1, now, now.plusSeconds(1), next, last.enrolment(), last.trading(),
                last.emergency(), last.rollout());
        Duration validity = draft.allowsWeakerPaths()
                ? min(ttl.orElse(WEAKER_MAX_VALIDITY), WEAKER_MAX_VALIDITY) : NORMAL_VALIDITY;
        AccessPolicy p = new AccessPolicy(draft.serial(), now, now.plus(validity), next, draft.enrolment(), draft.trading(),
                draft.emergency(), draft.rollout());
        store.publish(p.serial(), SignedPolicy.sign(p, Sm2SignKey.onCard(card, POLICY_KEY)), operator);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("published", true);
        out.put("serial", p.serial());
        out.put("mode", p.mode().name());
        out.put("notAfter", p.notAfter().toString());
        return out;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private GatewayException missing(String step) {
        return new GatewayException(GatewayErrors.ADMIN_POLICY_NOT_PUBLISHED, "[console " + node + "] policy not published: " + step);
    }
}
