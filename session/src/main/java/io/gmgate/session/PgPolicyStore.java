package io.gmgate.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The signed access policies published for terminals, newest serial wins. The bytes are stored as
 * signed; this store neither parses nor trusts them — terminals verify the signature themselves —
 * it only refuses a serial that does not grow, so a mistaken re-publish cannot roll terminals back.
 */
public final class PgPolicyStore {

    private final DataSource dataSource;

    public PgPolicyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void publish(long serial, byte[] signed, String operator) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE gm_access_policies IN EXCLUSIVE MODE");
                 PreparedStatement newest = c.prepareStatement("SELECT max(serial) FROM gm_access_policies");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO gm_access_policies (serial, policy, published_by) VALUES (?, ?, ?)")) {
                lock.execute();
                try (ResultSet rs = newest.executeQuery()) {
                    rs.next();
                    long current = rs.getLong(1);
                    if (serial <= current) {
                        c.rollback();
                        throw new SessionException(SessionErrors.POLICY_SERIAL, "policy #" + serial
                                + " is not newer than the published #" + current);
                    }
                }
                insert.setLong(1, serial);
                insert.setBytes(2, signed);
                insert.setString(3, operator);
                insert.executeUpdate();
                c.commit();
            }
        } catch (SQLException e) {
            throw new SessionException(SessionErrors.STORE_DOWN, "cannot publish the access policy: " + e.getMessage(), e);
        }
    }

    /** The newest published policy, as signed. */
    public Optional<byte[]> newest() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT policy FROM gm_access_policies ORDER BY serial DESC LIMIT 1");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new SessionException(SessionErrors.STORE_DOWN, "cannot read the access policy: " + e.getMessage(), e);
        }
    }
}
