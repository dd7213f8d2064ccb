package io.gmgate.crypto.twoparty;

import java.nio.charset.StandardCharsets;

import io.gmgate.crypto.Sm2Signature;

/** A completed two-party key generation, with the messages passed through their byte forms as on the wire. */
record Enrolment(ClientKeyShare client, ServerKeyShare server) {

    static final KeyGenBinding BINDING = new KeyGenBinding("sid-1", "acct-8001", "device-a");

    static Enrolment run() {
        return run(BINDING);
    }

    static Enrolment run(KeyGenBinding binding) {
        ClientKeyGen c = ClientKeyGen.start(binding);
        KeyGenRequest req = KeyGenRequest.fromBytes(c.request().toBytes());
        TwoPartyServer.KeyGenResult s = TwoPartyServer.keyGen(binding, req);
        ClientKeyShare client = c.finish(KeyGenResponse.fromBytes(s.response().toBytes()));
        return new Enrolment(client, s.share());
    }

    static Sm2Signature cosign(ClientKeyShare client, ServerKeyShare server, byte[] message) {
        ClientSigning signing = ClientSigning.start(client, io.gmgate.crypto.Sm2Signer.defaultId(), message);
        SignRequest req = SignRequest.fromBytes(signing.request().toBytes());
        SignResponse resp = TwoPartyServer.sign(server, req);
        return signing.finish(SignResponse.fromBytes(resp.toBytes()));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
