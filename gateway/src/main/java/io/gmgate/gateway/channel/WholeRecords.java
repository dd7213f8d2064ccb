package io.gmgate.gateway.channel;

import java.util.Arrays;

/**
 * Holds a handshake's bytes until they end where a record ends, so a flight that the socket reads in
 * pieces (a client's certificates and CertificateVerify: 2,048 bytes, then the rest) goes to a worker
 * once instead of once per piece. TLCP and TLS 1.3 records share the 5-byte header. Bytes that cannot
 * be records (a length no record has) go at once, for the engine to refuse; so does anything once
 * more than one largest record is held, which bounds what a peer can make it keep.
 */
final class WholeRecords {

    /** A header and the largest record body either protocol allows (TLCP: 2^14 + 2,048). */
    static final int LARGEST_RECORD = 5 + (1 << 14) + 2048;
    private static final byte[] NOTHING = new byte[0];

    private byte[] held = NOTHING;

    /** Adds bytes just read; returns all bytes held once they end at a record boundary, else {@code null} (keep reading). */
    byte[] add(byte[] bytes) {
        byte[] all = held.length == 0 ? bytes : concat(held, bytes);
        if (endsAtBoundary(all) || all.length > LARGEST_RECORD) {
            held = NOTHING;
            return all;
        }
        held = all;
        return null;
    }

    /** Bytes held back, waiting for the rest of their record. */
    int held() {
        return held.length;
    }

    private static boolean endsAtBoundary(byte[] b) {
        int at = 0;
        while (at + 5 <= b.length) {
            int length = ((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff);
            if (5 + length > LARGEST_RECORD) {
                return true; // not a record: let the engine say so now
            }
            at += 5 + length;
        }
        return at == b.length;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
