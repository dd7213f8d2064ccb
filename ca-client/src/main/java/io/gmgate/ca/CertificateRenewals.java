package io.gmgate.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * Online renewal as traders know it from the clearing house (docs/ca-client.md, "Renewal", design §4 step 7):
 * {@link #start} checks the window and hands out a renewal code (更新码); {@link #complete} renews
 * under that code. If completing fails half-way — the CA down after the code was given, or its
 * answer lost after it issued — the same code completes it later, and because the CA request id is
 * derived from the code, the CA (or gmgate's served-certificate records) returns the certificates
 * already issued instead of a second pair.
 */
public final class CertificateRenewals {

    /** A started renewal. The code is shown to the trader once; it is not stored. */
    public record Started(String code, BigInteger oldSerial, Instant expiresAt) {
        @Override
        public String toString() {
            return "Started[code=[redacted], old=" + PgCaStore.hex(oldSerial) + ", until " + expiresAt + "]";
        }
    }

    private final CertificateAuthority ca;
    private final RenewalPolicy policy;
    private final PgRenewals renewals;
    private final Clock clock;

    public CertificateRenewals(CertificateAuthority ca, RenewalPolicy policy, PgRenewals renewals, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.renewals = Objects.requireNonNull(renewals, "renewals");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RenewalPolicy policy() {
        return policy;
    }

    /** Opens a renewal of the account's sign certificate oldSignSerial: CA-103 outside the window. */
    public Started start(String account, BigInteger oldSignSerial) {
        CertificateStatus status = ca.status(oldSignSerial);
        boolean someoneElses = ca.account(oldSignSerial).map(a -> !a.equals(account)).orElse(false);
        if (status.state() == CertificateStatus.State.UNKNOWN || status.notAfter() == null || someoneElses) {
            throw new CaException(CaErrors.UNKNOWN_CERTIFICATE, "[CA " + ca.name() + "] no certificate "
                    + PgCaStore.hex(oldSignSerial) + " of account " + account + " to renew");
        }
        if (status.state() == CertificateStatus.State.REVOKED) {
            throw new CaException(CaErrors.CERTIFICATE_REVOKED, "[CA " + ca.name() + "] certificate "
                    + PgCaStore.hex(oldSignSerial) + " is revoked and cannot be renewed; re-enrol");
        }
        Instant now = clock.instant();
        policy.requireInWindow(oldSignSerial, status.notAfter(), now);
        String code = RenewalCode.generate();
        Instant expires = now.plus(policy.codeValidity());
        renewals.start(RenewalCode.hash(code), account, oldSignSerial, now, expires);
        return new Started(code, oldSignSerial, expires);
    }

    /**
     * Renews under a code. Resume with the same keys as the first attempt: once the CA has issued,
     * the code stands for those certificates and no others.
     */
    public IssuedCertificates complete(String account, String code, IssueRequest request) {
        String hash = RenewalCode.hash(code);
        PgRenewals.Renewal r = renewals.byCode(hash).filter(x -> x.account().equals(account) && x.account().equals(request.account()))
                .orElseThrow(() -> new CaException(CaErrors.UNKNOWN_RENEWAL_CODE, "renewal code not known for account " + account));
        Sm2PublicKey key = csrKey(request);
        if (r.state() == PgRenewals.State.COMPLETED) {
            return sameKey(r.issued(), key);
        }
        if (r.state() == PgRenewals.State.EXPIRED || !clock.instant().isBefore(r.expiresAt())) {
            throw new CaException(CaErrors.UNKNOWN_RENEWAL_CODE, "renewal code expired at " + r.expiresAt() + "; start again");
        }
        IssuedCertificates issued;
        try {
            issued = ca.renew(r.oldSerial(), request.withRequestId("renewal:" + hash));
        } catch (CaException e) {
            renewals.failed(hash, e.errorCode().code() + " " + e.getMessage());
            throw e;
        }
        renewals.complete(hash, issued, clock.instant());
        return sameKey(issued, key);
    }

    /** The login answer's "expires in N days", if the certificate is under the warning threshold. */
    public Optional<RenewalPolicy.ExpiryNotice> notice(BigInteger serial) {
        CertificateStatus status = ca.status(serial);
        return status.notAfter() == null ? Optional.empty() : policy.notice(status.notAfter(), clock.instant());
    }

    private static IssuedCertificates sameKey(IssuedCertificates issued, Sm2PublicKey key) {
        if (!GmPem.publicKey(issued.sign()).equals(key)) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "this renewal code already renewed to another key (certificate "
                    + PgCaStore.hex(issued.signSerial()) + "); resume with the key of the first attempt");
        }
        return issued;
    }

    private static Sm2PublicKey csrKey(IssueRequest request) {
        try {
            return Sm2Verification.verifiedKey(new PKCS10CertificationRequest(request.csr()));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaException ce) {
                throw ce;
            }
            throw new CaException(CaErrors.REQUEST_REJECTED, "certificate request is not a DER PKCS#10 request", e);
        }
    }
}
