package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The append-only audit log (design §6): records chained by MACs made in the cipher card, so a
 * deleted, reordered or edited record is found by {@link #verify()}.
 */
public interface AuditLog {

    /** Appends one record after the current chain head; durable when this returns. */
    AuditRecord append(AuditEvent event);

    /**
     * Appends one record inside the caller's transaction on {@code c}, a connection to this log's own
     * database: durable when that transaction commits, gone with what it audits if it rolls back. Holds
     * the chain's head lock until then, so keep the transaction short.
     */
    AuditRecord append(Connection c, AuditEvent event) throws SQLException;

    /** Records with seq in [fromSeq, fromSeq + limit), in order. */
    List<AuditRecord> read(long fromSeq, int limit);

    /** Walks the whole chain and reports the first deleted, reordered or edited record. */
    AuditVerification verify();
}
