package io.gmgate.tlcp;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gmgate.crypto.Sm3;

/**
 * Certificate signatures already checked good, so a terminal that reconnects does not cost an SM2
 * verification for a certificate this gateway has verified before. An entry is the SM3 digest of the
 * issuer's key and the whole certificate as sent, so any change to either misses; only successes are
 * kept (a stream of bad certificates cannot evict good ones faster than it could anyway), and the
 * least recently used entry goes first once the bound is reached. Validity dates, key usage and
 * revocation are still checked on every handshake: this remembers mathematics, not decisions.
 */
final class VerifiedSignatures {

    private final Map<ByteBuffer, Boolean> verified;

    VerifiedSignatures(int capacity) {
        this.verified = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    static ByteBuffer key(byte[] issuerKey, byte[] certificate) {
        return ByteBuffer.wrap(Sm3.digest(issuerKey, certificate));
    }

    boolean contains(ByteBuffer key) {
        synchronized (verified) {
            return verified.get(key) != null;
        }
    }

    void add(ByteBuffer key) {
        synchronized (verified) {
            verified.put(key, Boolean.TRUE);
        }
    }

    int size() {
        synchronized (verified) {
            return verified.size();
        }
    }
}
