package io.gmgate.tlcp.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * GB/T 38636-2020 §6.4.5.5: certificate types and acceptable CA names, in the TLS 1.1 layout
 * (no signature algorithms). BGMProvider sends types [ecdsa_sign(64), rsa_sign(1), dss_sign(2)].
 */
record CertificateRequest(byte[] types, List<byte[]> authorities) {

    static final byte[] DEFAULT_TYPES = {64, 1, 2};

    static CertificateRequest parse(byte[] body) {
        Reader r = new Reader(body, "CertificateRequest");
        byte[] types = r.vector8();
        Reader names = r.sub(r.u16());
        r.end();
        List<byte[]> out = new ArrayList<>();
        while (!names.done()) {
            out.add(names.vector16());
            if (out.size() > 64) {
                throw io.gmgate.tlcp.TlcpException.decode("more than 64 CA names");
            }
        }
        return new CertificateRequest(types, out);
    }

    byte[] encode() {
        Writer names = new Writer();
        authorities.forEach(names::vector16);
        return new Writer().vector8(types).vector16(names.toBytes()).toBytes();
    }
}
