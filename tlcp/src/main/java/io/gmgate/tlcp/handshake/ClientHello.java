package io.gmgate.tlcp.handshake;

import java.util.ArrayList;
import java.util.List;

import io.gmgate.tlcp.TlcpException;

/** GB/T 38636-2020 §6.4.5.2.1. */
record ClientHello(int version, byte[] random, byte[] sessionId, List<Integer> suites, byte[] compressions,
                   List<Extension> extensions) {

    static ClientHello parse(byte[] body) {
        Reader r = new Reader(body, "ClientHello");
        int version = r.u16();
        byte[] random = r.bytes(32);
        byte[] sessionId = r.vector8();
        if (sessionId.length > 32) {
            throw TlcpException.decode("ClientHello session id of " + sessionId.length + " bytes");
        }
        Reader suites = r.sub(r.u16());
        if (suites.remaining() < 2 || suites.remaining() % 2 != 0) {
            throw TlcpException.decode("ClientHello cipher_suites of " + suites.remaining() + " bytes");
        }
        List<Integer> ids = new ArrayList<>();
        while (!suites.done()) {
            ids.add(suites.u16());
        }
        byte[] compressions = r.vector8();
        if (compressions.length < 1) {
            throw TlcpException.decode("ClientHello without compression methods");
        }
        List<Extension> ext = Extension.parseList(r);
        r.end();
        return new ClientHello(version, random, sessionId, ids, compressions, ext);
    }

    byte[] encode() {
        Writer w = new Writer().u16(version).bytes(random).vector8(sessionId);
        Writer s = new Writer();
        suites.forEach(s::u16);
        w.vector16(s.toBytes()).vector8(compressions);
        Extension.writeList(w, extensions);
        return w.toBytes();
    }
}
