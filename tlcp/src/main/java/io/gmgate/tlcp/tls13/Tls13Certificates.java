package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/** Conversions between our certificate holders and BouncyCastle's TLS Certificate message. */
final class Tls13Certificates {

    private Tls13Certificates() {
    }

    /** A TLS 1.3 Certificate with an empty request context (RFC 8446 §4.4.2) and no per-entry extensions. */
    static Certificate toTls(TlsCrypto crypto, List<X509CertificateHolder> chain) {
        CertificateEntry[] entries = new CertificateEntry[chain.size()];
        try {
            for (int i = 0; i < entries.length; i++) {
                entries[i] = new CertificateEntry(crypto.createCertificate(chain.get(i).getEncoded()), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("certificate could not be re-encoded", e);
        }
        return new Certificate(TlsUtils.EMPTY_BYTES, entries);
    }
}
