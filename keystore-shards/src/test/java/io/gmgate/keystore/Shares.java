package io.gmgate.keystore;

import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;

/** Real server shares from a real two-party key generation (design §11), for storing in tests. */
final class Shares {

    private Shares() {
    }

    static ServerKeyShare generate(String account, String device) {
        KeyGenBinding binding = new KeyGenBinding("enrol-" + account + "-" + device, account, device);
        ClientKeyGen client = ClientKeyGen.start(binding);
        try {
            return TwoPartyServer.keyGen(binding, client.request()).share();
        } finally {
            client.destroy();
        }
    }
}
