package io.gmgate.keystore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

import io.gmgate.crypto.card.KekId;

/**
 * One kind of row that names the KEK version protecting it and so must move when the KEK rotates:
 * a wrapped data key (server shares, PIN OPRF keys) or a card seal (key rows, PIN counters,
 * tombstones). {@link KekRotation} runs the same loop over every kind.
 */
interface RotatedKind {

    /** done = rows at (or above) the target version, remaining = rows below it. */
    record Count(String kind, long done, long remaining) {
    }

    /** How operators and the audit log name the kind ("server shares"). */
    String kind();

    Count count(Connection c, KekId target) throws SQLException;

    /**
     * In the caller's transaction: locks up to {@code limit} rows below the target that no one else holds
     * and that are not in {@code refused}, moves each to the target, and adds to {@code refused} the ids
     * of rows whose old wrap or seal does not verify (left as they are, so they stay detectable).
     * Returns how many rows moved.
     */
    int moveBatch(Connection c, KekId target, Set<String> refused, int limit) throws SQLException;

    /** {@code refused} as a text array for {@code id <> ALL (?)}. */
    static void bindRefused(Connection c, PreparedStatement ps, int index, Set<String> refused) throws SQLException {
        Array skip = c.createArrayOf("text", refused.toArray());
        ps.setArray(index, skip);
    }
}
