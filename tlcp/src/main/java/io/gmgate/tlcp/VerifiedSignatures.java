package io.gmgate.tlcp;

import java.nio.ByteBuffer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.gmgate.crypto.Sm3;

/**
 * Certificate signatures already checked good, so a terminal that reconnects does not cost an SM2
 * verification for a certificate this gateway has verified before. An entry is the SM3 digest of the
 * issuer's key and the SM3 digest of the whole certificate as sent, so any change to either misses; only successes are
 * kept (a stream of bad certificates cannot evict good ones faster than it could anyway), and once
 * the bound is reached Caffeine evicts the entries least likely to be used again. Validity dates, key usage and
 * revocation are still checked on every handshake: this remembers mathematics, not decisions.
 */
final class VerifiedSignatures {

    private final Cache<ByteBuffer, Boolean> verified;

    VerifiedSignatures(int capacity) {
        this.verified = Caffeine.newBuilder().maximumSize(capacity)
                .executor(Runnable::run).build(); // upkeep on the caller: no wake-up of the common pool per entry
    }

    /** @param certificateDigest SM3 of the certificate's encoding ({@code EncodedCertificate.sm3}) */
    static ByteBuffer key(byte[] issuerKey, byte[] certificateDigest) {
        return ByteBuffer.wrap(Sm3.digest(issuerKey, certificateDigest));
    }

    boolean contains(ByteBuffer key) {
        return verified.getIfPresent(key) != null;
    }

    void add(ByteBuffer key) {
        verified.put(key, Boolean.TRUE);
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
