package io.gmgate.cosign;

import java.time.Clock;
import java.util.Objects;

import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.CertificateRenewals;
import io.gmgate.cosign.identity.IdentityVerifier;
import io.gmgate.cosign.identity.PgAccounts;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.cosign.pg.PgEnrolments;
import io.gmgate.cosign.pg.PgIdempotency;
import io.gmgate.cosign.pg.PgKeyLocks;
import io.gmgate.cosign.state.LoginSessions;
import io.gmgate.cosign.state.Nonces;
import io.gmgate.keystore.AuditLog;
import io.gmgate.keystore.ShardStore;

/** Everything a cosign node talks to, wired once by {@link CosignNode} (or a test). */
public record CosignDeps(Clock clock, Jdbc jdbc, ShardStore shards, AuditLog audit, CertificateAuthority ca,
                         IdentityVerifier identity, PgAccounts accounts, LoginSessions sessions, Nonces nonces,
                         PgIdempotency idempotency, PgEnrolments enrolments, PgCertificates certificates, PgKeyLocks locks,
                         CertificateRenewals renewals, AttemptTokens attempts, OperationLog operations) {

    public CosignDeps {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(jdbc, "jdbc");
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(nonces, "nonces");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(enrolments, "enrolments");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(renewals, "renewals");
        Objects.requireNonNull(attempts, "attempts");
        Objects.requireNonNull(operations, "operations");
    }
}
