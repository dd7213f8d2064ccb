package io.gmgate.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2SignKey;

/**
 * Signs the issuing CA's CRL (RFC 5280 §5) from the revoked rows, stores each one, and serves the
 * newest until it passes half its validity, so relying parties never see an expired CRL.
 */
final class CrlPublisher {

    private final EmbeddedCaConfig config;
    private final PgCaStore store;
    private final Clock clock;
    private final X509CertificateHolder issuing;
    private final Sm2SignKey signer;

    CrlPublisher(EmbeddedCaConfig config, PgCaStore store, Clock clock, X509CertificateHolder issuing, Sm2SignKey signer) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.issuing = issuing;
        this.signer = signer;
    }

    byte[] current() {
        Instant now = clock.instant();
        return store.latestCrl(issuer())
                .filter(c -> now.isBefore(c.thisUpdate().plus(config.crlValidity().dividedBy(2))) && !now.isBefore(c.thisUpdate()))
                .map(PgCaStore.StoredCrl::der)
                .orElseGet(this::publish);
    }

    synchronized byte[] publish() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant next = now.plus(config.crlValidity());
        long number = store.nextCrlNumber();
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuing.getSubject(), Date.from(now));
        b.setNextUpdate(Date.from(next));
        for (PgCaStore.Revoked r : store.revoked(issuer())) {
            b.addCRLEntry(r.serial(), Date.from(r.at()), r.reason().code());
        }
        try {
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(CertificateMaker.keyId(GmPem.publicKey(issuing))));
            X509CRLHolder crl = b.build(new Sm2ContentSigner(signer));
            byte[] der = crl.getEncoded();
            store.saveCrl(number, issuer(), now, next, der);
            return der;
        } catch (IOException e) {
            throw new IllegalStateException("CRL encoding failed", e);
        }
    }

    private String issuer() {
        return issuing.getSubject().toString();
    }
}
