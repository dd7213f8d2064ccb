package io.gmgate.tlcp.handshake;

import java.security.SecureRandom;
import java.util.Arrays;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.record.CbcSm3Protection;
import io.gmgate.tlcp.record.GcmProtection;
import io.gmgate.tlcp.record.RecordProtection;

/**
 * Master secret, key block and Finished values (GB/T 38636-2020 §6.5): master = PRF(pre_master,
 * "master secret", client_random ‖ server_random)[48]; key block = PRF(master, "key expansion",
 * server_random ‖ client_random) cut into MAC keys (32 each, CBC only), SM4 keys (16 each) and IVs
 * (16 each for CBC, the 4-byte implicit part for GCM).
 */
final class KeySchedule {

    private KeySchedule() {
    }

    static byte[] masterSecret(byte[] preMaster, byte[] clientRandom, byte[] serverRandom) {
        return Prf.derive(preMaster, "master secret", Prf.concat(clientRandom, serverRandom), 48);
    }

    /** [client write protection, server write protection]. */
    static RecordProtection[] protections(CipherSuite suite, byte[] master, byte[] clientRandom, byte[] serverRandom,
                                          SecureRandom random) {
        int mac = suite.gcm ? 0 : 32;
        int iv = suite.gcm ? 4 : 16;
        byte[] block = Prf.derive(master, "key expansion", Prf.concat(serverRandom, clientRandom), 2 * mac + 32 + 2 * iv);
        int p = 0;
        byte[] clientMac = Arrays.copyOfRange(block, p, p += mac);
        byte[] serverMac = Arrays.copyOfRange(block, p, p += mac);
        byte[] clientKey = Arrays.copyOfRange(block, p, p += 16);
        byte[] serverKey = Arrays.copyOfRange(block, p, p += 16);
        byte[] clientIv = Arrays.copyOfRange(block, p, p += iv);
        byte[] serverIv = Arrays.copyOfRange(block, p, p + iv);
        try {
            if (suite.gcm) {
                return new RecordProtection[] {new GcmProtection(clientKey, clientIv), new GcmProtection(serverKey, serverIv)};
            }
            // CBC records carry their own explicit IV; the key block's IVs are unused (TLS 1.1 layout).
            return new RecordProtection[] {new CbcSm3Protection(clientMac, clientKey, random),
                    new CbcSm3Protection(serverMac, serverKey, random)};
        } finally {
            Arrays.fill(block, (byte) 0);
            Arrays.fill(clientKey, (byte) 0);
            Arrays.fill(serverKey, (byte) 0);
            Arrays.fill(clientMac, (byte) 0);
            Arrays.fill(serverMac, (byte) 0);
        }
    }

    static byte[] finished(byte[] master, boolean client, byte[] transcriptHash) {
        return Prf.derive(master, client ? "client finished" : "server finished", transcriptHash, 12);
    }
}
