package io.gmgate.crypto;

import java.io.IOException;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certificate whose encoding is made once. BouncyCastle encodes the parsed structure again at every
 * {@link #getEncoded()}, and one handshake asks several times per certificate (the chain sent, the
 * session kept, the signature and gate caches' keys); the structure never changes, so neither does
 * its encoding.
 */
public final class EncodedCertificate extends X509CertificateHolder {

    private static final long serialVersionUID = 1L;

    private final byte[] encoded;

    private EncodedCertificate(byte[] der) throws IOException {
        super(der);
        this.encoded = super.getEncoded();
    }

    /** Parses a certificate; throws what BouncyCastle throws for bytes that are not one. */
    public static X509CertificateHolder parse(byte[] der) throws IOException {
        return new EncodedCertificate(der);
    }

    /** {@code c} itself if its encoding is kept already, else a copy that keeps it: for certificates sent at every handshake. */
    public static X509CertificateHolder of(X509CertificateHolder c) {
        if (c instanceof EncodedCertificate) {
            return c;
        }
        try {
            return new EncodedCertificate(c.getEncoded());
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate " + c.getSubject() + " does not encode", e);
        }
    }

    @Override
    public byte[] getEncoded() {
        return encoded.clone();
    }
}
