package io.gmgate.cosign;

import java.math.BigInteger;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.IssueRequest;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.RevocationReason;

/**
 * The real embedded CA behind a line the test can cut: while down, every call fails as an unreachable
 * CA does (CA-100). A fault injector for "CA down" (docs/drills.md C3), not a stand-in: when up, the
 * embedded CA answers.
 */
final class SwitchableCa implements CertificateAuthority {

    private final CertificateAuthority ca;
    volatile boolean down;

    SwitchableCa(CertificateAuthority ca) {
        this.ca = ca;
    }

    private void line() {
        if (down) {
            throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] connection refused (line cut by the test)");
        }
    }

    @Override
    public String name() {
        return ca.name();
    }

    @Override
    public IssuedCertificates issue(IssueRequest request) {
        line();
        return ca.issue(request);
    }

    @Override
    public IssuedCertificates renew(BigInteger oldSignSerial, IssueRequest request) {
        line();
        return ca.renew(oldSignSerial, request);
    }

    @Override
    public void revoke(BigInteger serial, RevocationReason reason) {
        line();
        ca.revoke(serial, reason);
    }

    @Override
    public CertificateStatus status(BigInteger serial) {
        line();
        return ca.status(serial);
    }
}
