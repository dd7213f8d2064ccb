package io.gmgate.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * {@link IssuerStatus} from CRLs (the embedded CA publishes one per issuer): an intermediate listed
 * on a CRL that its own issuer signed is refused. A CRL signed by anyone else is ignored, so a peer
 * cannot feed a list in; CRLs come from configuration or the CA's store.
 */
public final class CrlIssuerStatus implements IssuerStatus {

    private final Supplier<List<X509CRLHolder>> crls;

    public CrlIssuerStatus(Supplier<List<X509CRLHolder>> crls) {
        this.crls = crls;
    }

    @Override
    public void check(X509CertificateHolder ca, X509CertificateHolder issuer, Instant now) {
        for (X509CRLHolder crl : crls.get()) {
            if (!crl.getIssuer().equals(issuer.getSubject()) || !CertificatePathValidator.crlSignedBy(crl, issuer)) {
                continue;
            }
            X509CRLEntryHolder entry = crl.getRevokedCertificate(ca.getSerialNumber());
            if (entry != null && !entry.getRevocationDate().toInstant().isAfter(now)) {
                throw new TlcpException(TlcpErrors.ISSUER_REVOKED, Alert.CERTIFICATE_REVOKED,
                        "CA certificate " + ca.getSubject() + " (serial " + ca.getSerialNumber().toString(16)
                                + ") is revoked by " + issuer.getSubject() + " since " + entry.getRevocationDate().toInstant());
            }
        }
    }
}
