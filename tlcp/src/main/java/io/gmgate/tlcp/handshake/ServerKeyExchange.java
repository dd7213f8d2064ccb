package io.gmgate.tlcp.handshake;

import io.gmgate.tlcp.TlcpException;

/**
 * GB/T 38636-2020 §6.4.5.4. ECC: just the signature over client_random ‖ server_random ‖ the
 * encryption certificate (3-byte length first). ECDHE: ECParameters (named_curve) and the
 * server's ephemeral point, then the signature over the randoms and those parameters.
 */
record ServerKeyExchange(byte[] ecdheParams, byte[] signature) {

    static ServerKeyExchange parse(byte[] body, boolean ecdhe) {
        Reader r = new Reader(body, "ServerKeyExchange");
        byte[] params = new byte[0];
        if (ecdhe) {
            int curveType = r.u8();
            int curve = r.u16();
            byte[] point = r.vector8();
            params = EcdheParams.encode(curveType, curve, point);
        }
        byte[] sig = r.vector16();
        r.end();
        if (sig.length == 0) {
            throw TlcpException.decode("ServerKeyExchange without a signature");
        }
        return new ServerKeyExchange(params, sig);
    }

    byte[] encode() {
        return new Writer().bytes(ecdheParams).vector16(signature).toBytes();
    }
}
