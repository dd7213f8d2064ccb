package io.gmgate.cosign;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.CertificateRenewals;
import io.gmgate.ca.PgRenewals;
import io.gmgate.ca.RenewalPolicy;
import io.gmgate.cosign.http.CosignHttpServer;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.cosign.identity.IdentityVerifier;
import io.gmgate.cosign.identity.PgAccounts;
import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.cosign.pg.PgEnrolments;
import io.gmgate.cosign.pg.PgIdempotency;
import io.gmgate.cosign.pg.PgKeyLocks;
import io.gmgate.cosign.state.LoginSessions;
import io.gmgate.cosign.state.Nonces;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.keystore.AuditLog;
import io.gmgate.keystore.ShardStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One cosign node wired from its parts: the database, the cipher card, the shard store and its audit
 * log, a CA, an identity verifier, and the cluster-shared sessions and nonces. The app (and
 * the tests) build one per Vert.x instance; any number may share one database.
 */
public final class CosignNode implements AutoCloseable {

    /** What a node is built from. {@code identity} gets the node's accounts table (for the built-in verifier). */
    public record Parts(CosignSettings settings, DataSource dataSource, CipherCard card, int kekIndex, ShardStore shards,
                        AuditLog audit, CertificateAuthority ca, Function<PgAccounts, IdentityVerifier> identity,
                        LoginSessions sessions, Nonces nonces, Clock clock, int passwordIterations,
                        Duration nonceLife, Duration sessionIdle, Supplier<Optional<byte[]>> accessPolicy) {

        /** A node that has no access policy to hand out (POST /v1/policy answers COSIGN-109). */
        public Parts(CosignSettings settings, DataSource dataSource, CipherCard card, int kekIndex, ShardStore shards,
                     AuditLog audit, CertificateAuthority ca, Function<PgAccounts, IdentityVerifier> identity,
                     LoginSessions sessions, Nonces nonces, Clock clock, int passwordIterations,
                     Duration nonceLife, Duration sessionIdle) {
            this(settings, dataSource, card, kekIndex, shards, audit, ca, identity, sessions, nonces, clock, passwordIterations,
                    nonceLife, sessionIdle, Optional::empty);
        }
    }

    private final CosignService service;
    private final PgAccounts accounts;
    private final OperationLog operations;
    private final Jdbc jdbc;
    private final CipherCard card;
    private final CosignMeters meters;
    private CosignHttpServer http;

    private CosignNode(CosignService service, PgAccounts accounts, OperationLog operations, Jdbc jdbc, CipherCard card,
                       CosignMeters meters) {
        this.meters = meters;
        this.service = service;
        this.accounts = accounts;
        this.operations = operations;
        this.jdbc = jdbc;
        this.card = card;
    }

    public static CosignNode create(Parts p) {
        return create(p, CosignMeters.none());
    }

    /** A node that counts and times its work on {@code meters} (served by the app's admin listener). */
    public static CosignNode create(Parts p, CosignMeters meters) {
        CosignSettings s = p.settings();
        javax.sql.DataSource db = new io.gmgate.cosign.pg.MeteredDataSource(p.dataSource(), meters.registry());
        Jdbc jdbc = CosignJdbc.of(db, s.node(), (write, nanos) -> meters.phase(write ? CosignMeters.PG_WRITE
                : CosignMeters.PG_READ, nanos));
        PgAccounts accounts = new PgAccounts(jdbc, p.shards(), p.clock(), p.passwordIterations());
        OperationLog operations = new OperationLog(jdbc, p.audit(), s.node(), 500, Duration.ofSeconds(10), meters);
        CosignDeps deps = new CosignDeps(p.clock(), jdbc, new TimedShardStore(p.shards(), meters), p.audit(), p.ca(), p.identity().apply(accounts), accounts,
                p.sessions(), p.nonces(), new PgIdempotency(jdbc, p.clock(), s.idempotencyLease(), s.node()),
                new PgEnrolments(jdbc, p.clock()), new PgCertificates(jdbc), new PgKeyLocks(jdbc),
                new CertificateRenewals(p.ca(), renewalPolicy(s), new PgRenewals(p.dataSource()), p.clock()),
                AttemptTokens.fromCard(p.card(), p.kekIndex(), p.clock(), s.attemptLife()), operations);
        return new CosignNode(new CosignService(deps, s, p.nonceLife(), p.sessionIdle(), p.accessPolicy()), accounts, operations, jdbc,
                p.card(), meters);
    }

    /** ca-client's renewal rule with this node's window and warning threshold (docs/ca-client.md, "Renewal"), codes valid 3 days. */
    static RenewalPolicy renewalPolicy(CosignSettings s) {
        return new RenewalPolicy(s.renewBefore(), s.renewAfter(), false, s.warnBefore(), java.time.Duration.ofDays(3));
    }

    public CosignService service() {
        return service;
    }

    public PgAccounts accounts() {
        return accounts;
    }

    /** Listens on host:port (0 = any free port) with the default listener limits; completes with the bound port. */
    public Future<Integer> listen(Vertx vertx, String host, int port, int workerThreads) {
        return listen(vertx, host, port, workerThreads, ListenerLimits.defaults());
    }

    /** Listens on host:port (0 = any free port); completes with the bound port. */
    public Future<Integer> listen(Vertx vertx, String host, int port, int workerThreads, ListenerLimits limits) {
        http = new CosignHttpServer(vertx, service, workerThreads, limits, this::ready, meters);
        return http.listen(host, port);
    }

    /** Ready when the database answers and the card passes its probe. */
    public boolean ready() {
        try {
            jdbc.query("readiness", "SELECT 1", rs -> rs.getInt(1));
            return card.health().healthy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public CosignMeters meters() {
        return meters;
    }

    /** Ready to serve: the listener is not saturated, the database answers and the card passes its probe. Blocking. */
    public boolean readyToServe() {
        return http != null && !http.saturated() && ready();
    }

    public Future<Void> stop() {
        return http == null ? Future.succeededFuture() : http.close();
    }

    @Override
    public void close() {
        operations.close();
    }
}
