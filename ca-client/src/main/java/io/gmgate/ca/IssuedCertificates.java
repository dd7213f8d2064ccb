package io.gmgate.ca;

import java.math.BigInteger;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A double certificate as issued: sign and encryption certificates, the enveloped encryption key
 * when the CA generated it (else null), the chain above them (issuing CA first), and which CA
 * instance served the request.
 */
public record IssuedCertificates(X509CertificateHolder sign, X509CertificateHolder enc, Sm2EnvelopedKey encKey,
                                 List<X509CertificateHolder> chain, String servedBy) {

    public IssuedCertificates {
        chain = List.copyOf(chain);
    }

    public BigInteger signSerial() {
        return sign.getSerialNumber();
    }

    public BigInteger encSerial() {
        return enc.getSerialNumber();
    }

    public IssuedCertificates servedBy(String name) {
        return new IssuedCertificates(sign, enc, encKey, chain, name);
    }
}
