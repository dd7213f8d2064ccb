package io.gmgate.ca;

import java.math.BigInteger;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.twoparty.ClientDecryption;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;

/** A terminal and a cosign server in one process: the key is never whole (design §11). */
public final class CoSigner implements Sm2SignKey {

    private final ClientKeyShare client;
    private final ServerKeyShare server;

    private CoSigner(ClientKeyShare client, ServerKeyShare server) {
        this.client = client;
        this.server = server;
    }

    public static CoSigner enrol(String account) {
        KeyGenBinding binding = new KeyGenBinding("sid-" + account, account, "dev1");
        ClientKeyGen gen = ClientKeyGen.start(binding);
        TwoPartyServer.KeyGenResult result = TwoPartyServer.keyGen(binding, gen.request());
        return new CoSigner(gen.finish(result.response()), result.share());
    }

    @Override
    public Sm2PublicKey publicKey() {
        return client.jointKey();
    }

    @Override
    public Sm2Signature signDigest(byte[] e) {
        ClientSigning signing = ClientSigning.start(client, new BigInteger(1, e));
        return signing.finish(TwoPartyServer.sign(server, signing.request()));
    }

    /** One co-decryption, e.g. to open an SM2EnvelopedKey addressed to the joint sign key. */
    public byte[] decrypt(Sm2Ciphertext ct) {
        return ClientDecryption.finish(ct, TwoPartyServer.decrypt(server, ClientDecryption.start(client, ct)));
    }
}
