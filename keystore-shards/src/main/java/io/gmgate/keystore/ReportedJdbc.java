package io.gmgate.keystore;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.gmgate.jdbc.Jdbc;

/**
 * A store's transactions, with what a sealed-row mismatch refuses also logged with its code, audited
 * and counted (docs/security.md, "Key rows and locks").
 */
final class ReportedJdbc {

    // the store's logger: operators' log filters and alerts for refused rows name it
    private static final System.Logger LOG = System.getLogger(PgShardStore.class.getName());

    private final Jdbc db;
    private final PgAuditLog audit;
    private final String store;
    private final AtomicLong tamperings = new AtomicLong();

    ReportedJdbc(Jdbc db, PgAuditLog audit, String store) {
        this.db = db;
        this.audit = audit;
        this.store = store;
    }

    <T> T read(String operation, Jdbc.Work<T> work) {
        return reported(() -> db.read(operation, work));
    }

    <T> T write(String operation, Jdbc.Work<T> work) {
        return reported(() -> db.tx(operation, work));
    }

    /** How many sealed-row mismatches (KEY-130, KEY-131) were refused since the store started. */
    long tamperings() {
        return tamperings.get();
    }

    private <T> T reported(Supplier<T> call) {
        try {
            return call.get();
        } catch (KeystoreException e) {
            if (e.errorCode().equals(KeystoreErrors.ROW_SEAL_BROKEN) || e.errorCode().equals(KeystoreErrors.DESTROYED_KEY_RESTORED)) {
                tamperings.incrementAndGet();
                LOG.log(Level.ERROR, e.getMessage());
                try {
                    String detail = e.getMessage();
                    audit.append(new AuditEvent("keystore:" + store, PgShardStore.TAMPER, null, null, null, null,
                            detail.length() > 1024 ? detail.substring(0, 1024) : detail, null));
                } catch (RuntimeException auditFailed) {
                    LOG.log(Level.ERROR, "[KEY " + db.name() + "] could not audit the refusal above: " + auditFailed.getMessage());
                }
            }
            throw e;
        }
    }
}
