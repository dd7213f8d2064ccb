package io.gmgate.tlcp.tls13;

import java.util.List;
import java.util.Objects;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;

/**
 * An SM2 certificate chain (leaf first, the root may be left out) and the signing key of its leaf.
 * TLS 1.3 with RFC 8998 uses a single signing certificate; the TLCP encryption certificate plays no
 * part here.
 */
public record Tls13Credentials(List<X509CertificateHolder> chain, Sm2SignKey key) {

    public Tls13Credentials {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION, "credentials have an empty certificate chain");
        }
        Sm2PublicKey leafKey;
        try {
            leafKey = GmPem.publicKey(chain.get(0));
        } catch (GmCryptoException e) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION,
                    "certificate " + chain.get(0).getSubject() + " does not carry an SM2 key", e);
        }
        if (!leafKey.equals(key.publicKey())) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION,
                    "the signing key " + key + " does not match certificate " + chain.get(0).getSubject());
        }
    }

    public X509CertificateHolder leaf() {
        return chain.get(0);
    }
}
