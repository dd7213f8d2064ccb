package io.gmgate.tlcp.handshake;

/** GB/T 38636-2020 §6.4.5.9: a DER SM2 signature in a 2-byte vector, no algorithm identifier. */
final class CertificateVerify {

    private CertificateVerify() {
    }

    static byte[] encode(byte[] signatureDer) {
        return new Writer().vector16(signatureDer).toBytes();
    }

    static byte[] parse(byte[] body) {
        Reader r = new Reader(body, "CertificateVerify");
        byte[] sig = r.vector16();
        r.end();
        return sig;
    }
}
