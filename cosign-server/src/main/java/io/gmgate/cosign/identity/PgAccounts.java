package io.gmgate.cosign.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import io.gmgate.jdbc.Jdbc;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.ShardStore;

/**
 * The built-in accounts table (V40 cosign_accounts) beside keystore's ks_accounts: credentials,
 * disabled flag, must-change-password, first login. Used by {@link BuiltinIdentityVerifier} and by
 * {@code gmgate accounts add|disable|enable|reset-password}.
 */
public final class PgAccounts {

    /** One account as stored; the hash is null for EXTERNAL accounts. */
    public record Account(String account, String source, PasswordHash password, boolean mustChangePassword,
                          boolean disabled, Instant lastLoginAt) {
        @Override
        public String toString() {
            return "Account[" + account + " " + source + (disabled ? " disabled" : "") + "]";
        }
    }

    private final Jdbc jdbc;
    private final ShardStore shards;
    private final Clock clock;
    private final int iterations;

    public PgAccounts(Jdbc jdbc, ShardStore shards, Clock clock, int iterations) {
        if (iterations < PasswordHash.MIN_ITERATIONS) {
            throw new IllegalArgumentException("password iterations must be at least " + PasswordHash.MIN_ITERATIONS);
        }
        this.jdbc = jdbc;
        this.shards = shards;
        this.clock = clock;
        this.iterations = iterations;
    }

    public int iterations() {
        return iterations;
    }

    /** A built-in account that must change its initial password at first login. */
    public void addBuiltin(String account, char[] initialPassword, String actor) {
        ensureKeystoreAccount(account, actor);
        PasswordHash h = PasswordHash.of(initialPassword, iterations);
        int n = jdbc.update("add account " + account,
                "INSERT INTO cosign_accounts (account, source, password_salt, password_hash, password_iterations, "
                        + "must_change_password, password_changed_at) VALUES (?, 'BUILTIN', ?, ?, ?, true, ?) "
                        + "ON CONFLICT (account) DO NOTHING",
                account, h.salt(), h.hash(), h.iterations(), clock.instant());
        if (n == 0) {
            throw new KeystoreException(KeystoreErrors.ALREADY_EXISTS, "[cosign accounts] account " + account + " already exists");
        }
    }

    /** The row for an account checked by the firm's system, made at its first successful login. */
    public void ensureExternal(String account, String actor) {
        ensureKeystoreAccount(account, actor);
        jdbc.update("register external account " + account,
                "INSERT INTO cosign_accounts (account, source) VALUES (?, 'EXTERNAL') ON CONFLICT (account) DO NOTHING", account);
    }

    private void ensureKeystoreAccount(String account, String actor) {
        try {
            shards.createAccount(account, actor);
        } catch (KeystoreException e) {
            if (!e.errorCode().equals(KeystoreErrors.ALREADY_EXISTS)) {
                throw e;
            }
        }
    }

    public Optional<Account> find(String account) {
        return jdbc.one("read account " + account,
                "SELECT account, source, password_salt, password_hash, password_iterations, must_change_password, disabled, "
                        + "last_login_at FROM cosign_accounts WHERE account = ?",
                rs -> new Account(rs.getString(1), rs.getString(2),
                        rs.getBytes(4) == null ? null : new PasswordHash(rs.getBytes(3), rs.getInt(5), rs.getBytes(4)),
                        rs.getBoolean(6), rs.getBoolean(7), Jdbc.instant(rs, "last_login_at")),
                account);
    }

    public void setDisabled(String account, boolean disabled) {
        requireUpdated(account, jdbc.update("disable account " + account,
                "UPDATE cosign_accounts SET disabled = ? WHERE account = ?", disabled, account));
    }

    /** An operator's reset: a new initial password the trader must change at next login. */
    public void resetPassword(String account, char[] newPassword) {
        setPassword(account, newPassword, true);
    }

    public void setPassword(String account, char[] newPassword, boolean mustChange) {
        PasswordHash h = PasswordHash.of(newPassword, iterations);
        requireUpdated(account, jdbc.update("set password of " + account,
                "UPDATE cosign_accounts SET password_salt = ?, password_hash = ?, password_iterations = ?, "
                        + "must_change_password = ?, password_changed_at = ? WHERE account = ? AND source = 'BUILTIN'",
                h.salt(), h.hash(), h.iterations(), mustChange, clock.instant(), account));
    }

    /** Records a successful login; true if it was the account's first. */
    public boolean recordLogin(String account) {
        return jdbc.tx("record login of " + account, c -> {
            var rows = Jdbc.query(c, "SELECT last_login_at IS NULL FROM cosign_accounts WHERE account = ? FOR UPDATE",
                    rs -> rs.getBoolean(1), account);
            Jdbc.update(c, "UPDATE cosign_accounts SET last_login_at = ? WHERE account = ?", clock.instant(), account);
            return !rows.isEmpty() && rows.get(0);
        });
    }

    private static void requireUpdated(String account, int rows) {
        if (rows == 0) {
            throw new KeystoreException(KeystoreErrors.NOT_FOUND, "[cosign accounts] no built-in account " + account);
        }
    }

    /** A hash to spend the same time on when the account does not exist (no timing oracle for names). */
    PasswordHash decoy() {
        return DECOY.updateAndGet(d -> d != null && d.iterations() == iterations ? d
                : PasswordHash.of("decoy".toCharArray(), iterations));
    }

    private static final java.util.concurrent.atomic.AtomicReference<PasswordHash> DECOY = new java.util.concurrent.atomic.AtomicReference<>();

    static void zero(char[] c) {
        if (c != null) {
            Arrays.fill(c, '\0');
        }
    }
}
