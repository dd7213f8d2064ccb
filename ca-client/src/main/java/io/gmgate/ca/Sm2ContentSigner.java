package io.gmgate.ca;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;

/**
 * A BouncyCastle {@link ContentSigner} for SM3withSM2 with the default ID "1234567812345678"
 * (GM/T 0015 §7: certificates and requests use it), delegating the private-key step to an
 * {@link Sm2SignKey}. The algorithm identifier has no parameters (GM/T 0006).
 */
public final class Sm2ContentSigner implements ContentSigner {

    public static final AlgorithmIdentifier SM3_WITH_SM2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);

    private final Sm2SignKey signer;
    private final byte[] z;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public Sm2ContentSigner(Sm2SignKey signer) {
        this.signer = signer;
        this.z = Sm2Signer.z(signer.publicKey(), Sm2Signer.defaultId());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return SM3_WITH_SM2;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        byte[] e = Sm3.digest(z, buffer.toByteArray());
        buffer.reset();
        return signer.signDigest(e).toDer();
    }
}
