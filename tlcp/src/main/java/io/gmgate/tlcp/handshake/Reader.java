package io.gmgate.tlcp.handshake;

import java.util.Arrays;

import io.gmgate.tlcp.TlcpException;

/** Reads the TLS presentation language with every length checked against what is left (decode_error otherwise). */
final class Reader {

    private final byte[] b;
    private int pos;
    private final int end;
    private final String what;

    Reader(byte[] b, String what) {
        this(b, 0, b.length, what);
    }

    private Reader(byte[] b, int from, int to, String what) {
        this.b = b;
        this.pos = from;
        this.end = to;
        this.what = what;
    }

    int u8() {
        need(1);
        return b[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = (b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    int u24() {
        need(3);
        int v = (b[pos] & 0xFF) << 16 | (b[pos + 1] & 0xFF) << 8 | b[pos + 2] & 0xFF;
        pos += 3;
        return v;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    byte[] vector8() {
        return bytes(u8());
    }

    byte[] vector16() {
        return bytes(u16());
    }

    byte[] vector24() {
        return bytes(u24());
    }

    /** A reader over the next {@code n} bytes; this one skips past them. */
    Reader sub(int n) {
        need(n);
        Reader r = new Reader(b, pos, pos + n, what);
        pos += n;
        return r;
    }

    int remaining() {
        return end - pos;
    }

    boolean done() {
        return pos == end;
    }

    void end() {
        if (pos != end) {
            throw TlcpException.decode(what + ": " + (end - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw TlcpException.decode(what + ": needs " + n + " more bytes, " + (end - pos) + " left");
        }
    }
}
