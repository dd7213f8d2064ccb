package io.gmgate.tlcp.handshake;

import java.nio.ByteBuffer;

import org.bouncycastle.cert.X509CertificateHolder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * The peer public keys of recent handshakes, one object per key. BouncyCastle keeps a point's
 * multiplication table on the point object, so verifying a reconnecting terminal's
 * CertificateVerify under the same object skips building that table again (the same reason the
 * trust roots are kept as objects). Keyed by the whole SubjectPublicKeyInfo (algorithm, curve, point), so a certificate
 * can only ever get the key it carries, and one that is not SM2 still fails to parse (and is not kept). A
 * Caffeine cache bounded to {@link #CAPACITY} keys (a table is a few KiB).
 */
final class PeerKeys {

    static final int CAPACITY = 4_096;

    private static final Cache<ByteBuffer, Sm2PublicKey> KEYS = Caffeine.newBuilder().maximumSize(CAPACITY)
            .executor(Runnable::run).build(); // upkeep on the handshake's thread: no wake-up of the common pool per entry

    private PeerKeys() {
    }

    static Sm2PublicKey of(X509CertificateHolder cert) {
        ByteBuffer encoded;
        try {
            encoded = ByteBuffer.wrap(cert.getSubjectPublicKeyInfo().getEncoded()); // algorithm and curve included
        } catch (java.io.IOException e) {
            return GmPem.publicKey(cert);
        }
        return KEYS.get(encoded, k -> GmPem.publicKey(cert));
    }
}
