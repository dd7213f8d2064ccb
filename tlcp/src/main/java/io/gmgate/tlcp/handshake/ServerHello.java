package io.gmgate.tlcp.handshake;

import java.util.List;

import io.gmgate.tlcp.TlcpException;

/** GB/T 38636-2020 §6.4.5.2.2. */
record ServerHello(int version, byte[] random, byte[] sessionId, int suite, int compression, List<Extension> extensions) {

    static ServerHello parse(byte[] body) {
        Reader r = new Reader(body, "ServerHello");
        int version = r.u16();
        byte[] random = r.bytes(32);
        byte[] sessionId = r.vector8();
        if (sessionId.length > 32) {
            throw TlcpException.decode("ServerHello session id of " + sessionId.length + " bytes");
        }
        int suite = r.u16();
        int compression = r.u8();
        List<Extension> ext = Extension.parseList(r);
        r.end();
        return new ServerHello(version, random, sessionId, suite, compression, ext);
    }

    byte[] encode() {
        Writer w = new Writer().u16(version).bytes(random).vector8(sessionId).u16(suite).u8(compression);
        Extension.writeList(w, extensions);
        return w.toBytes();
    }
}
