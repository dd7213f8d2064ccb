package io.gmgate.sdk;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

/** A BouncyCastle {@link ContentSigner} for SM3withSM2 whose signature is co-signed (CSRs). */
final class CoSignedContentSigner implements ContentSigner {

    private final CoSigner signer;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

    CoSignedContentSigner(CoSigner signer) {
        this.signer = signer;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
    }

    @Override
    public OutputStream getOutputStream() {
        return tbs;
    }

    @Override
    public byte[] getSignature() {
        return signer.sign(tbs.toByteArray()).toDer();
    }
}
