package io.gmgate.tlcp.tls13;

/**
 * Tells from the first bytes of a connection which protocol the client speaks, so one port can
 * serve TLCP, TLS 1.3 and (in bypass) plain TCP. A pure function of the bytes seen so far: it asks
 * for more when it cannot tell yet, and never needs more than one record (5 + 2^14 bytes).
 *
 * <ul>
 *   <li>TLCP: a handshake record (type 22) with record version 0x0101, or a TLS-versioned record
 *       whose ClientHello says 0x0101 (GB/T 38636-2020 §6.3.3.1, §6.4.5.2.1).</li>
 *   <li>TLS 1.3: a record version 0x0301..0x0303 whose ClientHello (legacy_version 0x0303) lists
 *       0x0304 in supported_versions (RFC 8446 §4.1.2, §4.2.1).</li>
 *   <li>TLS (other): a TLS-looking handshake record that is not a TLS 1.3 ClientHello — an older
 *       TLS, or a malformed one. Route it to the TLS engine, which answers with the right alert:
 *       never to a plain backend.</li>
 *   <li>Plain: anything whose first byte is not 22, or 22 followed by a version no TLS or TLCP
 *       uses.</li>
 * </ul>
 */
public final class ProtocolSniffer {

    /** What the first bytes say. */
    public enum Kind { NEED_MORE, TLCP, TLS13, TLS_OTHER, PLAIN }

    /** The verdict; when kind is NEED_MORE, needed is the total byte count to look at next. */
    public record Verdict(Kind kind, int needed) {
        static Verdict of(Kind kind) {
            return new Verdict(kind, 0);
        }

        static Verdict more(int needed) {
            return new Verdict(Kind.NEED_MORE, needed);
        }
    }

    static final int HANDSHAKE = 22;
    static final int CLIENT_HELLO = 1;
    static final int RECORD_HEADER = 5;
    static final int MAX_RECORD = 1 << 14;
    static final int EXT_SUPPORTED_VERSIONS = 43;

    private ProtocolSniffer() {
    }

    public static Verdict sniff(byte[] data) {
        return sniff(data, 0, data.length);
    }

    public static Verdict sniff(byte[] data, int offset, int length) {
        Bytes b = new Bytes(data, offset, length);
        if (length < 1) {
            return Verdict.more(1);
        }
        if (b.u8(0) != HANDSHAKE) {
            return Verdict.of(Kind.PLAIN);
        }
        if (length < 3) {
            return Verdict.more(3);
        }
        int recordVersion = b.u16(1);
        if (recordVersion == 0x0101) {
            return Verdict.of(Kind.TLCP);
        }
        if (recordVersion < 0x0300 || recordVersion > 0x0303) {
            return Verdict.of(Kind.PLAIN);
        }
        if (length < RECORD_HEADER) {
            return Verdict.more(RECORD_HEADER);
        }
        int recordLength = b.u16(3);
        // A record shorter than the handshake header and client_version holds no usable ClientHello.
        if (recordLength < 6 || recordLength > MAX_RECORD) {
            return Verdict.of(Kind.TLS_OTHER);
        }
        if (length < RECORD_HEADER + 6) {
            return Verdict.more(RECORD_HEADER + 6);
        }
        if (b.u8(5) != CLIENT_HELLO) {
            return Verdict.of(Kind.TLS_OTHER);
        }
        int helloVersion = b.u16(9);
        if (helloVersion == 0x0101) {
            return Verdict.of(Kind.TLCP);
        }
        if (helloVersion != 0x0303) {
            return Verdict.of(Kind.TLS_OTHER);
        }
        int end = RECORD_HEADER + recordLength;
        if (length < end) {
            return Verdict.more(end);
        }
        // The ClientHello may continue in a later record; look only at what this record holds.
        int helloEnd = Math.min(end, RECORD_HEADER + 4 + b.u24(6));
        return offersTls13(b, RECORD_HEADER + 6, helloEnd) ? Verdict.of(Kind.TLS13) : Verdict.of(Kind.TLS_OTHER);
    }

    /** Walks random, session_id, cipher_suites, compression_methods and extensions (RFC 8446 §4.1.2). */
    private static boolean offersTls13(Bytes b, int pos, int end) {
        pos += 32;
        if (pos + 1 > end) {
            return false;
        }
        pos += 1 + b.u8(pos);
        if (pos + 2 > end) {
            return false;
        }
        pos += 2 + b.u16(pos);
        if (pos + 1 > end) {
            return false;
        }
        pos += 1 + b.u8(pos);
        if (pos + 2 > end) {
            return false;
        }
        int extEnd = Math.min(end, pos + 2 + b.u16(pos));
        pos += 2;
        while (pos + 4 <= extEnd) {
            int type = b.u16(pos);
            int len = b.u16(pos + 2);
            pos += 4;
            if (pos + len > extEnd) {
                return false;
            }
            if (type == EXT_SUPPORTED_VERSIONS) {
                return listsTls13(b, pos, pos + len);
            }
            pos += len;
        }
        return false;
    }

    private static boolean listsTls13(Bytes b, int pos, int end) {
        if (pos + 1 > end) {
            return false;
        }
        int listEnd = Math.min(end, pos + 1 + b.u8(pos));
        for (int p = pos + 1; p + 2 <= listEnd; p += 2) {
            if (b.u16(p) == 0x0304) {
                return true;
            }
        }
        return false;
    }

    /** Unsigned big-endian reads relative to the window; callers check bounds first. */
    private record Bytes(byte[] data, int offset, int length) {
        int u8(int i) {
            return data[offset + i] & 0xFF;
        }

        int u16(int i) {
            return u8(i) << 8 | u8(i + 1);
        }

        int u24(int i) {
            return u8(i) << 16 | u16(i + 1);
        }
    }
}
