package io.gmgate.cosign.pg;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.gmgate.jdbc.Jdbc;

/** Enrolments (V42): the two key records generated together in one session, and whether they are certified. */
public final class PgEnrolments {

    public enum State { KEYS, CERTIFIED, ABANDONED }

    public record Enrolment(String id, String account, String device, String sessionId, long signKeyId, long encKeyId,
                            State state, Instant createdAt) {
    }

    private static final String COLUMNS = "enrolment_id, account, device, session_id, sign_key_id, enc_key_id, state, created_at";

    private final Jdbc jdbc;
    private final Clock clock;

    public PgEnrolments(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void insert(Enrolment e) {
        jdbc.update("record enrolment " + e.id(), "INSERT INTO cosign_enrolments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.account(), e.device(), e.sessionId(), e.signKeyId(), e.encKeyId(), e.state().name(), e.createdAt());
    }

    public Optional<Enrolment> find(String id) {
        return jdbc.one("read enrolment " + id, "SELECT " + COLUMNS + " FROM cosign_enrolments WHERE enrolment_id = ?", PgEnrolments::row, id);
    }

    /** Enrolments of a device still waiting for certificates. */
    public List<Enrolment> pending(String account, String device) {
        return jdbc.query("read pending enrolments", "SELECT " + COLUMNS + " FROM cosign_enrolments WHERE account = ? AND device = ? "
                + "AND state = 'KEYS' ORDER BY created_at", PgEnrolments::row, account, device);
    }

    /** The enrolment a key was generated in, if any. */
    public Optional<Enrolment> ofKey(long keyId) {
        return jdbc.one("read enrolment of key " + keyId, "SELECT " + COLUMNS + " FROM cosign_enrolments WHERE sign_key_id = ? "
                + "OR enc_key_id = ? ORDER BY created_at DESC LIMIT 1", PgEnrolments::row, keyId, keyId);
    }

    public void setState(String id, State state) {
        jdbc.update("update enrolment " + id, "UPDATE cosign_enrolments SET state = ?, certified_at = CASE WHEN ? = 'CERTIFIED' "
                + "THEN ? ELSE certified_at END WHERE enrolment_id = ?", state.name(), state.name(), clock.instant(), id);
    }

    private static Enrolment row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Enrolment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                State.valueOf(rs.getString(7)), Jdbc.instant(rs, "created_at"));
    }
}
