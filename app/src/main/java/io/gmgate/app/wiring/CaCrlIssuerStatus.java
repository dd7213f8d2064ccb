package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.PgCaStore;
import io.gmgate.tlcp.CrlIssuerStatus;
import io.gmgate.tlcp.IssuerStatus;

/**
 * The status of the CA certificates inside a client's path, from the embedded CA's CRLs in
 * PostgreSQL (RFC 5280 §6.1.3 (a)(3)): an intermediate listed on the latest CRL its issuer signed
 * is refused (CERT-126). CRLs are re-read at most every {@link #MAX_AGE}, so a handshake costs no
 * query; a CRL that does not verify under the issuer's key is ignored ({@link CrlIssuerStatus}).
 */
final class CaCrlIssuerStatus implements IssuerStatus {

    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private record Read(Instant at, List<X509CRLHolder> crls) {
    }

    private final PgCaStore store;
    private final Clock clock;
    private final Map<String, Read> latest = new ConcurrentHashMap<>();

    CaCrlIssuerStatus(PgCaStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void check(X509CertificateHolder ca, X509CertificateHolder issuer, Instant now) {
        String name = issuer.getSubject().toString();
        Instant at = clock.instant();
        Read read = latest.compute(name, (k, old) -> old != null && old.at().plus(MAX_AGE).isAfter(at) ? old
                : new Read(at, store.latestCrl(k).map(c -> List.of(parse(c.der()))).orElse(List.of())));
        new CrlIssuerStatus(read::crls).check(ca, issuer, now);
    }

    private static X509CRLHolder parse(byte[] der) {
        try {
            return new X509CRLHolder(der);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the stored CRL does not parse", e);
        }
    }
}
