package io.gmgate.tlcp.handshake;

import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.TlcpException;

/**
 * GB/T 38636-2020 §6.4.5.8. ECC: the SM2-encrypted pre-master secret, DER SM2Cipher in a 2-byte
 * vector. ECDHE: the client's ECParameters and ephemeral point — bare (Tongsuo, BGMProvider) or in
 * a 2-byte vector (GmSSL); {@link #parseEcdhe} accepts both (design §13).
 */
final class ClientKeyExchange {

    private ClientKeyExchange() {
    }

    static byte[] encodeEcc(byte[] encryptedPreMaster) {
        return new Writer().vector16(encryptedPreMaster).toBytes();
    }

    static byte[] parseEcc(byte[] body) {
        Reader r = new Reader(body, "ClientKeyExchange");
        byte[] ct = r.vector16();
        r.end();
        if (ct.length == 0) {
            throw TlcpException.decode("empty encrypted pre-master secret");
        }
        return ct;
    }

    static byte[] encodeEcdhe(byte[] params, EcdheEncoding encoding) {
        return encoding == EcdheEncoding.BARE ? params : new Writer().vector16(params).toBytes();
    }

    /** The ECParameters+point, whichever form arrived: bare starts with curve_type 3. */
    static byte[] parseEcdhe(byte[] body) {
        if (body.length > 0 && body[0] == EcdheParams.NAMED_CURVE) {
            return body;
        }
        Reader r = new Reader(body, "ClientKeyExchange");
        byte[] params = r.vector16();
        r.end();
        return params;
    }
}
