package io.gmgate.session;

/**
 * The access modes of design §5 (docs/drills.md), strongest first: NORMAL (two-way TLCP on the
 * trading listener), ONE_WAY (one-way accepted, the trader logs in to the counter in-band), BYPASS
 * (the plain path to the trading fronts is open).
 */
public enum AccessMode {
    NORMAL, ONE_WAY, BYPASS;

    /** Whether moving from this mode to {@code to} weakens protection (a downgrade needs a reason and is alerted). */
    public boolean downgradeTo(AccessMode to) {
        return to.ordinal() > ordinal();
    }
}
