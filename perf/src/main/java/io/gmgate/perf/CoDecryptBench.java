package io.gmgate.perf;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.twoparty.ClientDecryption;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.DecryptRequest;
import io.gmgate.crypto.twoparty.DecryptResponse;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;

/** The steps of two-party co-decryption (design §11). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoDecryptBench {

    private ClientKeyShare client;
    private ServerKeyShare server;
    private Sm2Ciphertext ciphertext;
    private byte[] requestBytes;
    private DecryptResponse response;

    @Setup
    public void setup() {
        KeyGenBinding binding = new KeyGenBinding("bench", "acct", "device");
        ClientKeyGen kg = ClientKeyGen.start(binding);
        TwoPartyServer.KeyGenResult result = TwoPartyServer.keyGen(binding, kg.request());
        client = kg.finish(result.response());
        server = result.share();
        ciphertext = Sm2Cipher.encrypt(client.jointKey(), GmRandom.bytes(48));
        DecryptRequest request = ClientDecryption.start(client, ciphertext);
        requestBytes = request.toBytes();
        response = TwoPartyServer.decrypt(server, request);
    }

    /** Client: T1 = [d1^-1]C1. */
    @Benchmark
    public DecryptRequest clientStart() {
        return ClientDecryption.start(client, ciphertext);
    }

    /** Server: parse and check T1 (afresh, as from the wire), T2 = [d2^-1]T1, encode. */
    @Benchmark
    public byte[] serverDecrypt() {
        return TwoPartyServer.decrypt(server, DecryptRequest.fromBytes(requestBytes)).toBytes();
    }

    /** Client: T2 − C1, KDF, C2, C3 check. */
    @Benchmark
    public byte[] clientFinish() {
        return ClientDecryption.finish(ciphertext, response);
    }
}
