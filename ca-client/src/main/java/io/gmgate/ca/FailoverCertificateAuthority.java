package io.gmgate.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * Several CAs in priority order — primary, backup line, second vendor — for docs/drills.md C3:
 * "when the primary line cannot serve, switch automatically to the backup line … or to another CA".
 * Each CA sits behind its own breaker, time limit and retry ({@link GuardedCa}); a request goes to
 * the first CA that can take it. When none can, issuing fails at once with CA-101 naming every
 * breaker and why, while certificates already issued keep working: their status comes from the
 * served-certificate records in PostgreSQL, not from the CAs.
 *
 * <p>Every double certificate is recorded with the CA that served it. A request id seen before
 * gets the recorded certificates back, so a retry or a renewal code never yields a second pair.
 */
public final class FailoverCertificateAuthority implements CertificateAuthority, AutoCloseable {

    private final String name;
    private final List<GuardedCa> cas;
    private final PgServedCertificates records;
    private final Clock clock;
    private final ExecutorService executor;

    public FailoverCertificateAuthority(String name, List<? extends CertificateAuthority> cas, FailoverSettings settings,
                                        PgServedCertificates records) {
        this.name = Objects.requireNonNull(name, "name");
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("[CA " + name + "] needs at least one CA");
        }
        if (cas.stream().map(CertificateAuthority::name).distinct().count() != cas.size()) {
            throw new IllegalArgumentException("[CA " + name + "] CA names must be unique: they key the breakers and the records");
        }
        AtomicInteger n = new AtomicInteger();
        // bounded: one worker per CA and a spare each, so a hung CA holds at most its own two
        this.executor = Executors.newFixedThreadPool(2 * cas.size(), r -> {
            Thread t = new Thread(r, "ca-failover-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<GuardedCa> guarded = new ArrayList<>();
        for (CertificateAuthority ca : cas) {
            guarded.add(new GuardedCa(ca, settings, executor));
        }
        this.cas = List.copyOf(guarded);
        this.records = Objects.requireNonNull(records, "records");
        this.clock = settings.clock();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * True while no CA would take a request now: every breaker is open or waiting for its trial call
     * (docs/drills.md C3, "主备CA服务均无法提供服务"). A degradation rule watches this.
     */
    public boolean allBreakersOpen() {
        return cas.stream().allMatch(g -> g.state() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
    }

    /** Breaker state per CA, in priority order, e.g. for readiness and the admin API. */
    public List<String> breakers() {
        return cas.stream().map(g -> g.name() + " " + g.state()).toList();
    }

    @Override
    public IssuedCertificates issue(IssueRequest request) {
        Optional<PgServedCertificates.Served> done = records.byRequest(request.requestId());
        if (done.isPresent()) {
            return repeat(done.get(), request);
        }
        return serve(request, PgServedCertificates.Operation.ISSUE, null, ca -> ca.issue(request));
    }

    /**
     * Renews at the CA that served the old certificate if it can; another CA cannot update a
     * certificate it never issued, so there the renewal is a new enrolment (still recorded as
     * replacing the old one).
     */
    @Override
    public IssuedCertificates renew(BigInteger oldSignSerial, IssueRequest request) {
        Optional<PgServedCertificates.Served> done = records.byRequest(request.requestId());
        if (done.isPresent()) {
            return repeat(done.get(), request);
        }
        Optional<PgServedCertificates.Served> old = records.bySerial(oldSignSerial);
        if (old.isPresent()) {
            if (!old.get().account().equals(request.account())) {
                throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name + "] certificate " + PgCaStore.hex(oldSignSerial)
                        + " is not a certificate of account " + request.account());
            }
            if (old.get().state() == CertificateStatus.State.REVOKED) {
                throw new CaException(CaErrors.CERTIFICATE_REVOKED, "[CA " + name + "] certificate "
                        + PgCaStore.hex(oldSignSerial) + " is revoked and cannot be renewed; re-enrol");
            }
        }
        String servedBy = old.map(PgServedCertificates.Served::caName).orElse(null);
        return serve(request, PgServedCertificates.Operation.RENEW, oldSignSerial,
                ca -> servedBy == null || servedBy.equals(ca.name()) ? ca.renew(oldSignSerial, request) : ca.issue(request));
    }

    private IssuedCertificates repeat(PgServedCertificates.Served done, IssueRequest request) {
        if (!done.account().equals(request.account())) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name + "] request id " + request.requestId()
                    + " belongs to another account");
        }
        return done.certificates();
    }

    private IssuedCertificates serve(IssueRequest request, PgServedCertificates.Operation op, BigInteger replaces,
                                     Function<CertificateAuthority, IssuedCertificates> call) {
        List<String> why = new ArrayList<>();
        for (GuardedCa g : cas) {
            IssuedCertificates issued;
            try {
                issued = g.call(() -> call.apply(g.ca())).servedBy(g.name());
            } catch (CallNotPermittedException e) {
                why.add(g.name() + " " + g.state());
                continue;
            } catch (CaException e) {
                if (!GuardedCa.UNAVAILABLE.test(e)) {
                    throw e;  // the CA answered: a rejection is the same at any CA
                }
                why.add(g.name() + " " + g.state() + " (" + e.errorCode().code() + " " + e.getMessage() + ")");
                continue;
            }
            Instant now = clock.instant();
            if (!records.record(request.requestId(), op, request.account(), replaces, issued, now)) {
                // a concurrent retry of the same request won the race: hand out what it recorded
                return records.byRequest(request.requestId()).map(PgServedCertificates.Served::certificates).orElse(issued);
            }
            return issued;
        }
        throw new CaException(CaErrors.ALL_CAS_DOWN, "[CA " + name + "] no CA can " + op.name().toLowerCase(java.util.Locale.ROOT)
                + " now; circuit breakers: " + String.join(", ", why));
    }

    /** Revokes both halves at the CA that served them, then in the records. */
    @Override
    public void revoke(BigInteger serial, RevocationReason reason) {
        Optional<PgServedCertificates.Served> served = records.bySerial(serial);
        if (served.isEmpty()) {
            revokeUnrecorded(serial, reason);
            return;
        }
        PgServedCertificates.Served s = served.get();
        GuardedCa g = cas.stream().filter(c -> c.name().equals(s.caName())).findFirst().orElseThrow(() ->
                new CaException(CaErrors.UNSUPPORTED, "[CA " + name + "] certificate " + PgCaStore.hex(serial) + " was served by "
                        + s.caName() + ", which is no longer configured; revoke it there"));
        try {
            g.call(() -> {
                g.ca().revoke(s.signSerial(), reason);
                g.ca().revoke(s.encSerial(), reason);
                return null;
            });
        } catch (CallNotPermittedException e) {
            throw new CaException(CaErrors.ALL_CAS_DOWN, "[CA " + name + "] " + g.name() + " that issued "
                    + PgCaStore.hex(serial) + " is " + g.state() + "; revocation must reach it, retry later");
        }
        records.markRevoked(serial, reason, clock.instant());
    }

    private void revokeUnrecorded(BigInteger serial, RevocationReason reason) {
        for (GuardedCa g : cas) {
            try {
                g.call(() -> {
                    g.ca().revoke(serial, reason);
                    return null;
                });
                return;
            } catch (CaException e) {
                if (!e.errorCode().equals(CaErrors.UNKNOWN_CERTIFICATE)) {
                    throw e;
                }
            } catch (CallNotPermittedException e) {
                // try the next CA
            }
        }
        throw new CaException(CaErrors.UNKNOWN_CERTIFICATE, "[CA " + name + "] no configured CA knows certificate " + PgCaStore.hex(serial));
    }

    /** From the records first (no CA needed), then from each CA that can tell; UNKNOWN if none. */
    @Override
    public CertificateStatus status(BigInteger serial) {
        Optional<CertificateStatus> recorded = records.status(serial);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        for (GuardedCa g : cas) {
            try {
                CertificateStatus s = g.ca().status(serial);
                if (s.state() != CertificateStatus.State.UNKNOWN) {
                    return s;
                }
            } catch (CaException e) {
                // this CA cannot tell (CMP has no status query) or is down: ask the next
            }
        }
        return CertificateStatus.unknown(serial);
    }

    /** From the records, else from the first CA that can tell. */
    @Override
    public Optional<String> account(BigInteger serial) {
        Optional<PgServedCertificates.Served> served = records.bySerial(serial);
        if (served.isPresent()) {
            return served.map(PgServedCertificates.Served::account);
        }
        for (GuardedCa g : cas) {
            try {
                Optional<String> a = g.ca().account(serial);
                if (a.isPresent()) {
                    return a;
                }
            } catch (CaException e) {
                // cannot tell: ask the next
            }
        }
        return Optional.empty();
    }

    /** The first CRL any CA offers (the embedded CA serves its stored CRL even while it cannot sign a new one). */
    @Override
    public byte[] crlDer() {
        List<String> why = new ArrayList<>();
        for (GuardedCa g : cas) {
            try {
                return g.ca().crlDer();
            } catch (CaException e) {
                why.add(g.name() + ": " + e.errorCode().code());
            }
        }
        throw new CaException(CaErrors.UNSUPPORTED, "[CA " + name + "] no CA offers a CRL (" + String.join(", ", why) + ")");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FailoverCertificateAuthority[" + name + ": " + String.join(", ", breakers()) + "]";
    }
}
