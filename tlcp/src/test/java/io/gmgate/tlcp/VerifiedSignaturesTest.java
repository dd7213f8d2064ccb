package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {

    @Test
    void remembersWhatWasAddedExactlyAndStaysWithinItsBound() {
        VerifiedSignatures v = new VerifiedSignatures(100);
        ByteBuffer key = VerifiedSignatures.key(new byte[] {1}, new byte[] {2, 3});
        v.add(key);
        assertTrue(v.contains(VerifiedSignatures.key(new byte[] {1}, new byte[] {2, 3})));
        assertFalse(v.contains(VerifiedSignatures.key(new byte[] {1}, new byte[] {2, 4})), "another certificate misses");
        assertFalse(v.contains(VerifiedSignatures.key(new byte[] {9}, new byte[] {2, 3})), "another issuer key misses");
        for (int i = 0; i < 10_000; i++) {
            v.add(VerifiedSignatures.key(new byte[] {1}, java.nio.ByteBuffer.allocate(4).putInt(i).array()));
        }
        assertTrue(v.size() <= 100, v.size() + " entries");
    }
}
