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
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/** Whole-key SM2 (GB/T 32918.2/.4) on the optimised curve: the baseline for the two-party steps. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Sm2Bench {

    private Sm2PrivateKey key;
    private byte[] message;
    private Sm2Signature signature;
    private byte[] secret;
    private Sm2Ciphertext ciphertext;

    @Setup
    public void setup() {
        key = Sm2PrivateKey.generate();
        message = GmRandom.bytes(256);
        signature = Sm2Signer.sign(key, message);
        secret = GmRandom.bytes(48); // a TLCP pre-master secret
        ciphertext = Sm2Cipher.encrypt(key.publicKey(), secret);
    }

    @Benchmark
    public Sm2Signature sign() {
        return Sm2Signer.sign(key, message);
    }

    @Benchmark
    public boolean verify() {
        return Sm2Signer.verify(key.publicKey(), message, signature);
    }

    @Benchmark
    public Sm2Ciphertext encrypt() {
        return Sm2Cipher.encrypt(key.publicKey(), secret);
    }

    @Benchmark
    public byte[] decrypt() {
        return Sm2Cipher.decrypt(key, ciphertext);
    }
}
