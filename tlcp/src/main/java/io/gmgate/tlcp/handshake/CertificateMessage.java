package io.gmgate.tlcp.handshake;

import java.util.ArrayList;
import java.util.List;

import io.gmgate.tlcp.TlcpException;

/** GB/T 38636-2020 §6.4.5.3: sign certificate, encryption certificate, then CA certificates. */
record CertificateMessage(List<byte[]> certificates) {

    static final int MAX_CERTIFICATES = 10;

    static CertificateMessage parse(byte[] body) {
        Reader r = new Reader(body, "Certificate");
        Reader list = r.sub(r.u24());
        r.end();
        List<byte[]> out = new ArrayList<>();
        while (!list.done()) {
            byte[] der = list.vector24();
            if (der.length == 0) {
                throw TlcpException.decode("empty certificate in the list");
            }
            out.add(der);
            if (out.size() > MAX_CERTIFICATES) {
                throw TlcpException.decode("more than " + MAX_CERTIFICATES + " certificates");
            }
        }
        return new CertificateMessage(out);
    }

    byte[] encode() {
        Writer list = new Writer();
        certificates.forEach(list::vector24);
        return new Writer().vector24(list.toBytes()).toBytes();
    }
}
