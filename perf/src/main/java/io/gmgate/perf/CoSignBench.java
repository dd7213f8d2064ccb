package io.gmgate.perf;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.crypto.twoparty.SignResponse;
import io.gmgate.crypto.twoparty.TwoPartyServer;

/** The steps of one two-party co-signature (design §11), each on its own. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoSignBench {

    private ClientKeyShare client;
    private ServerKeyShare server;
    private BigInteger e;
    private byte[] requestBytes;
    private byte[] storedShare;
    private BigInteger shareScalar;

    @Setup
    public void setup() {
        KeyGenBinding binding = new KeyGenBinding("bench", "acct", "device");
        ClientKeyGen kg = ClientKeyGen.start(binding);
        TwoPartyServer.KeyGenResult result = TwoPartyServer.keyGen(binding, kg.request());
        client = kg.finish(result.response());
        server = result.share();
        e = new BigInteger(1, GmRandom.bytes(32));
        requestBytes = ClientSigning.start(client, e).request().toBytes();
        storedShare = server.toBytes();
        shareScalar = new BigInteger(1, java.util.Arrays.copyOfRange(storedShare, 1, 33));
    }

    /** One round's client state and the server's answer to it, made fresh before each call of clientFinish. */
    @State(Scope.Thread)
    public static class Round {
        ClientSigning signing;
        SignResponse response;

        @Setup(Level.Invocation)
        public void next(CoSignBench b) {
            signing = ClientSigning.start(b.client, b.e);
            response = TwoPartyServer.sign(b.server, signing.request());
        }
    }

    /**
     * Server: parse and check Q1, R = [k3]Q1 + [k2]G, r, s2, s3, encode. Q1 is parsed afresh each
     * time, as from the wire: BouncyCastle caches multiplication tables on a point object, and
     * reusing one Q1 would measure a cache no real request enjoys.
     */
    @Benchmark
    public byte[] serverSign() {
        return TwoPartyServer.sign(server, SignRequest.fromBytes(requestBytes)).toBytes();
    }

    /** What the cosign node does per /v1/sign once the share is unwrapped: parse it, then the server step. */
    @Benchmark
    public byte[] serverSignFromStored() {
        return TwoPartyServer.sign(ServerKeyShare.fromBytes(storedShare), SignRequest.fromBytes(requestBytes)).toBytes();
    }

    /** d2^-1 mod n: what parsing a share cost on top until it was computed only when used (co-signing never does). */
    @Benchmark
    public BigInteger shareInverse() {
        return shareScalar.modInverse(io.gmgate.crypto.Sm2Curve.N);
    }

    /** Client step 1: k1, Q1 = [k1]G. */
    @Benchmark
    public SignRequest clientStart() {
        return ClientSigning.start(client, e).request();
    }

    /** Client step 3: s, and the verification under P before release. */
    @Benchmark
    public Sm2Signature clientFinish(Round round) {
        return round.signing.finish(round.response);
    }

    /** A whole round in one thread: client start, server, client finish. */
    @Benchmark
    public Sm2Signature fullRound() {
        ClientSigning signing = ClientSigning.start(client, e);
        return signing.finish(TwoPartyServer.sign(server, signing.request()));
    }
}
