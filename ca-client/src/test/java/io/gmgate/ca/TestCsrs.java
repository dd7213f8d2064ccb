package io.gmgate.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;

/** Test helpers: requests signed by any Sm2SignKey, and a software cipher card in a temp dir. */
public final class TestCsrs {

    private TestCsrs() {
    }

    public static byte[] csr(Sm2SignKey signer, String cn) {
        try {
            return new PKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), GmPem.toSpki(signer.publicKey()))
                    .build(new Sm2ContentSigner(signer)).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SoftCipherCard card(Path dir) {
        try {
            Path file = Files.createTempFile(dir, "card", ".bin");
            Files.delete(file);
            return SoftCipherCard.init(file, "test passphrase".toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
