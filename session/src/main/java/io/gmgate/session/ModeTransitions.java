package io.gmgate.session;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal mode transitions, in one table (house style: a state machine as a table). "From" is the
 * mode the scope is in before the change — its own setting, else the one it inherits.
 *
 * <pre>
 * origin    from      to                         why
 * OPERATOR  any       any                        the SRE decides (design §5); same → same renews reason and TTL
 * RULE      NORMAL    ONE_WAY                    automatic degradation only one step, never to BYPASS
 *                                                (docs/drills.md C3/C4 name one-way first), never back up:
 *                                                SRE confirms or reverts
 * EXPIRY    any       the wider scope's mode     a TTL ends the setting, whatever it was; the scope
 *                                                inherits again (NORMAL when nothing wider is set)
 * </pre>
 */
public final class ModeTransitions {

    private static final Map<ModeOrigin, Map<AccessMode, Set<AccessMode>>> ALLOWED = new EnumMap<>(ModeOrigin.class);

    static {
        Map<AccessMode, Set<AccessMode>> operator = new EnumMap<>(AccessMode.class);
        Map<AccessMode, Set<AccessMode>> rule = new EnumMap<>(AccessMode.class);
        Map<AccessMode, Set<AccessMode>> expiry = new EnumMap<>(AccessMode.class);
        for (AccessMode from : AccessMode.values()) {
            operator.put(from, EnumSet.allOf(AccessMode.class));
            rule.put(from, EnumSet.noneOf(AccessMode.class));
            expiry.put(from, EnumSet.allOf(AccessMode.class));
        }
        rule.put(AccessMode.NORMAL, EnumSet.of(AccessMode.ONE_WAY));
        ALLOWED.put(ModeOrigin.OPERATOR, operator);
        ALLOWED.put(ModeOrigin.RULE, rule);
        ALLOWED.put(ModeOrigin.EXPIRY, expiry);
    }

    private ModeTransitions() {
    }

    public static boolean allowed(ModeOrigin origin, AccessMode from, AccessMode to) {
        return ALLOWED.get(origin).get(from).contains(to);
    }

    /** Throws MODE-304 naming the scope, the origin and both modes when the table forbids the change. */
    public static void check(Scope scope, ModeOrigin origin, AccessMode from, AccessMode to) {
        if (!allowed(origin, from, to)) {
            throw new SessionException(SessionErrors.ILLEGAL_TRANSITION, "[" + scope + "] " + origin + " may not move "
                    + from + " -> " + to + " (allowed from " + from + ": " + ALLOWED.get(origin).get(from) + ")");
        }
    }
}
