package io.gmgate.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on {@link PgModeStore#CHANNEL} over one dedicated connection and runs a nudge for each
 * batch of notifications. PostgreSQL delivers them at commit, so a change made with
 * {@code gmgate mode set} from any shell that reaches the database is seen by every node at once,
 * without that shell having to join the cluster (a join alone takes seconds, design §14). The
 * periodic re-read stays the safety net: a notification lost with a dropped connection is healed
 * within one refresh interval.
 */
final class PgModeNotifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PgModeNotifications.class.getName());
    private static final int POLL_MILLIS = 250;

    private final DataSource dataSource;
    private final Runnable nudge;
    private final Duration retry;
    private final Thread thread;
    private volatile boolean closed;

    PgModeNotifications(DataSource dataSource, Runnable nudge, Duration retry, String name) {
        this.dataSource = dataSource;
        this.nudge = nudge;
        this.retry = retry;
        this.thread = new Thread(this::run, "gmgate-mode-listen-" + name);
        this.thread.setDaemon(true);
    }

    PgModeNotifications start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("LISTEN " + PgModeStore.CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                nudge.run(); // anything committed while we were not listening
                try {
                    while (!closed) {
                        PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
                        if (batch != null && batch.length > 0) {
                            nudge.run();
                        }
                    }
                } finally {
                    // a pooled connection goes back to the pool: it must not keep queueing notifications there
                    unlisten(st);
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "[modes] listening for mode changes on PostgreSQL failed ("
                            + e.getMessage() + "); retrying in " + retry.toMillis() + " ms, the periodic re-read covers the gap");
                    sleep(retry);
                }
            }
        }
    }

    private static void unlisten(Statement st) {
        try {
            st.execute("UNLISTEN " + PgModeStore.CHANNEL);
        } catch (SQLException connectionAlreadyGone) {
            // a broken connection is not reused by the pool
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Stops listening and waits (at most a few polls) for the thread to give its connection back, so
     * a pool or database closed right after does not cut the UNLISTEN off (a broken-connection warning
     * with a stack trace at every shutdown).
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(4L * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
