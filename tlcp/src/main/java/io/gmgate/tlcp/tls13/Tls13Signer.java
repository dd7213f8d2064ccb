package io.gmgate.tlcp.tls13;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsStreamSigner;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;

/**
 * BouncyCastle's signing hook backed by an {@link Sm2SignKey}: the CertificateVerify signature of
 * RFC 8446 §4.4.3 with sm2sig_sm3, where RFC 8998 §3.2.1 fixes the SM2 user ID to
 * "TLSv1.3+GM+Cipher+Suite" (not the GM/T 0009 default). SM2 signs SM3(Z‖M), so BC must hand us
 * the whole message: this is a stream signer, and the raw-hash entry point is refused.
 */
final class Tls13Signer implements TlsCredentialedSigner {

    static final byte[] TLS13_SM2_ID = "TLSv1.3+GM+Cipher+Suite".getBytes(StandardCharsets.US_ASCII);

    private final Certificate certificate;
    private final Sm2SignKey key;
    private final byte[] z;

    Tls13Signer(Certificate certificate, Sm2SignKey key) {
        this.certificate = certificate;
        this.key = key;
        this.z = Sm2Signer.z(key.publicKey(), TLS13_SM2_ID);
    }

    @Override
    public Certificate getCertificate() {
        return certificate;
    }

    @Override
    public SignatureAndHashAlgorithm getSignatureAndHashAlgorithm() {
        return SignatureAndHashAlgorithm.sm2sig_sm3;
    }

    @Override
    public byte[] generateRawSignature(byte[] hash) throws IOException {
        throw new TlsFatalAlert(AlertDescription.internal_error, "SM2 cannot sign a bare hash: Z must be prefixed");
    }

    @Override
    public TlsStreamSigner getStreamSigner() {
        ByteArrayOutputStream message = new ByteArrayOutputStream(160);
        return new TlsStreamSigner() {
            @Override
            public OutputStream getOutputStream() {
                return message;
            }

            @Override
            public byte[] getSignature() throws IOException {
                byte[] e = Sm3.digest(z, message.toByteArray());
                try {
                    return key.signDigest(e).toDer();
                } catch (RuntimeException failure) {
                    throw new SignFailure(key, failure);
                }
            }
        };
    }

    /** Marks a failed key operation so the engine reports TLS-158 rather than a protocol error. */
    static final class SignFailure extends TlsFatalAlert {
        private static final long serialVersionUID = 1L;

        SignFailure(Sm2SignKey key, Throwable cause) {
            super(AlertDescription.internal_error, "sign operation of " + key + " failed", cause);
        }
    }
}
