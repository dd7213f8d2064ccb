package io.gmgate.tlcp.handshake;

import java.io.ByteArrayOutputStream;

/** Writes the TLS presentation language. */
final class Writer {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u8(int v) {
        out.write(v);
        return this;
    }

    Writer u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Writer u24(int v) {
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Writer bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Writer vector8(byte[] b) {
        return u8(b.length).bytes(b);
    }

    Writer vector16(byte[] b) {
        return u16(b.length).bytes(b);
    }

    Writer vector24(byte[] b) {
        return u24(b.length).bytes(b);
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
