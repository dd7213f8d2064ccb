package io.gmgate.perf;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.Sm4;

/** SM3 and SM4 throughput on record-sized inputs (multiply ops/s by the size for bytes/s). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SymmetricBench {

    @Param({"16384"})
    public int size;

    private byte[] data;
    private byte[] key;
    private byte[] iv;
    private byte[] nonce;
    private byte[] aad;

    @Setup
    public void setup() {
        data = GmRandom.bytes(size);
        key = GmRandom.bytes(16);
        iv = GmRandom.bytes(16);
        nonce = GmRandom.bytes(12);
        aad = GmRandom.bytes(13);
    }

    @Benchmark
    public byte[] sm3() {
        return Sm3.digest(data);
    }

    @Benchmark
    public byte[] sm4Cbc() {
        return Sm4.cbc(true, key, iv, data);
    }

    @Benchmark
    public byte[] sm4Gcm() {
        return Sm4.gcmEncrypt(key, nonce, aad, data);
    }
}
