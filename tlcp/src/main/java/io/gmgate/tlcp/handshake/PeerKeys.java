package io.gmgate.tlcp.handshake;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * The peer public keys of recent handshakes, one object per key. BouncyCastle keeps a point's
 * multiplication table on the point object, so verifying a reconnecting terminal's
 * CertificateVerify under the same object skips building that table again (the same reason the
 * trust roots are kept as objects). Keyed by the whole SubjectPublicKeyInfo (algorithm, curve, point), so a certificate
 * can only ever get the key it carries, and one that is not SM2 still fails to parse; least recently used first out, bounded (a table is a few KiB).
 */
final class PeerKeys {

    static final int CAPACITY = 4_096;

    private static final Map<ByteBuffer, Sm2PublicKey> KEYS = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Sm2PublicKey> eldest) {
            return size() > CAPACITY;
        }
    };

    private PeerKeys() {
    }

    static Sm2PublicKey of(X509CertificateHolder cert) {
        ByteBuffer encoded;
        try {
            encoded = ByteBuffer.wrap(cert.getSubjectPublicKeyInfo().getEncoded()); // algorithm and curve included
        } catch (java.io.IOException e) {
            return GmPem.publicKey(cert);
        }
        synchronized (KEYS) {
            Sm2PublicKey known = KEYS.get(encoded);
            if (known != null) {
                return known;
            }
        }
        Sm2PublicKey key = GmPem.publicKey(cert);
        synchronized (KEYS) {
            KEYS.putIfAbsent(encoded, key);
        }
        return key;
    }
}
