package io.gmgate.crypto;

import java.io.IOException;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certificate whose encoding and SM3 digest are made once. BouncyCastle encodes the parsed structure
 * again at every {@link #getEncoded()}, and one handshake asks several times per certificate (the chain
 * sent, the session kept, the signature and gate caches' keys, each keyed by the digest); the structure
 * never changes, so neither do they.
 */
public final class EncodedCertificate extends X509CertificateHolder {

    private static final long serialVersionUID = 1L;

    private final byte[] encoded;
    private transient volatile byte[] digest;

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

    /** SM3 of {@code c}'s DER encoding: kept for a certificate parsed here, else computed. */
    public static byte[] sm3(X509CertificateHolder c) throws IOException {
        return c instanceof EncodedCertificate e ? e.digest().clone() : Sm3.digest(c.getEncoded());
    }

    private byte[] digest() {
        byte[] d = digest;
        if (d == null) {
            d = Sm3.digest(encoded);
            digest = d;
        }
        return d;
    }

    @Override
    public byte[] getEncoded() {
        return encoded.clone();
    }
}
