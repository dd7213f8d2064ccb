package io.gmgate.tlcp.handshake;

import java.util.ArrayList;
import java.util.List;

/** A hello extension, kept opaque: TLCP defines none we act on besides renegotiation_info. */
record Extension(int type, byte[] data) {

    static final int RENEGOTIATION_INFO = 0xFF01;
    static final int SUPPORTED_GROUPS = 0x000A;

    static List<Extension> parseList(Reader r) {
        List<Extension> out = new ArrayList<>();
        if (r.done()) {
            return out;
        }
        Reader list = r.sub(r.u16());
        while (!list.done()) {
            out.add(new Extension(list.u16(), list.vector16()));
            if (out.size() > 64) {
                throw io.gmgate.tlcp.TlcpException.decode("more than 64 hello extensions");
            }
        }
        return out;
    }

    static void writeList(Writer w, List<Extension> exts) {
        if (exts.isEmpty()) {
            return;
        }
        Writer list = new Writer();
        for (Extension e : exts) {
            list.u16(e.type).vector16(e.data);
        }
        w.vector16(list.toBytes());
    }
}
