package io.gmgate.tlcp;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certification path that passed every rule of {@link CertificatePathValidator}: the leaf first,
 * then each issuer, ending with the configured trust anchor that vouches for it.
 */
public record PathValidation(List<X509CertificateHolder> path) {

    public PathValidation {
        path = List.copyOf(path);
        if (path.size() < 2) {
            throw new IllegalArgumentException("a path holds at least the leaf and its trust anchor");
        }
    }

    public X509CertificateHolder leaf() {
        return path.get(0);
    }

    public X509CertificateHolder anchor() {
        return path.get(path.size() - 1);
    }

    /** The certificate that signed the leaf (the anchor itself for a path of one issuer). */
    public X509CertificateHolder issuer() {
        return path.get(1);
    }
}
