package io.gmgate.keystore.backup;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.Sm4;

/**
 * The keys of one export, derived from its 32-byte export key (the secret the custodians share) with
 * HMAC-SM3 under distinct labels: an SM4 key for the record segments, an HMAC-SM3 key for the header.
 * {@link #close()} zeroes them.
 */
final class BackupKeys implements AutoCloseable {

    static final int EXPORT_KEY_BYTES = 32;
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    static final byte SEGMENT_RECORD = 0;
    static final byte SEGMENT_END = 1;

    final byte[] recordKey;
    final byte[] headerKey;

    BackupKeys(byte[] exportKey) {
        byte[] k = Sm3.hmac(exportKey, "gmgate backup v1 record key".getBytes(StandardCharsets.US_ASCII));
        this.recordKey = Arrays.copyOf(k, Sm4.KEY_BYTES);
        Arrays.fill(k, (byte) 0);
        this.headerKey = Sm3.hmac(exportKey, "gmgate backup v1 header key".getBytes(StandardCharsets.US_ASCII));
    }

    /** Segment nonce: the header's 8-byte prefix and the segment counter (never repeats within an export). */
    static byte[] nonce(byte[] prefix, int counter) {
        return ByteBuffer.allocate(12).put(prefix).putInt(counter).array();
    }

    /** Segment associated data: the header digest, the segment kind and counter (so the end marker cannot be moved). */
    static byte[] aad(byte[] headerDigest, byte kind, int counter) {
        return ByteBuffer.allocate(headerDigest.length + 5).put(headerDigest).put(kind).putInt(counter).array();
    }

    @Override
    public void close() {
        Arrays.fill(recordKey, (byte) 0);
        Arrays.fill(headerKey, (byte) 0);
    }
}
