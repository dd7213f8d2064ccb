package io.gmgate.perf.tlcp;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;

/**
 * Our TLCP client and server in memory, one thread: full and resumed handshakes (both sides'
 * work), and one 16 KiB record through the record layer (client seals, server opens). For the
 * server's share alone see {@link TlcpServerCpu}; for a process measured like GmSSL's see
 * perf/tlcp-cpu.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlcpBench {

    @Param({"ECC_SM4_CBC_SM3", "ECC_SM4_GCM_SM3", "ECDHE_SM4_CBC_SM3", "ECDHE_SM4_GCM_SM3"})
    public CipherSuite suite;

    @Param({"NONE", "REQUIRED"})
    public ClientAuth clientAuth;

    private PerfPki pki;
    private TlcpServerConfig server;
    private TlcpClientConfig client;
    private TlcpClientConfig resuming;
    private TlcpEngine bulkClient;
    private TlcpEngine bulkServer;
    private final byte[] record = new byte[16 * 1024];

    @Setup(Level.Trial)
    public void setup() {
        pki = new PerfPki();
        server = pki.serverConfig(suite, clientAuth);
        client = pki.clientConfig(suite, clientAuth != ClientAuth.NONE || suite.ecdhe);
        TlcpEngine c = TlcpEngine.client("bench", client);
        PerfPki.pump(c, TlcpEngine.server("bench", server));
        resuming = client.resuming(c.session().orElseThrow());
        bulkClient = TlcpEngine.client("bench", client);
        bulkServer = TlcpEngine.server("bench", server);
        PerfPki.pump(bulkClient, bulkServer);
    }

    @Benchmark
    public TlcpEngine fullHandshake() {
        TlcpEngine c = TlcpEngine.client("bench", client);
        PerfPki.pump(c, TlcpEngine.server("bench", server));
        return c;
    }

    @Benchmark
    public TlcpEngine resumedHandshake() {
        TlcpEngine c = TlcpEngine.client("bench", resuming);
        PerfPki.pump(c, TlcpEngine.server("bench", server));
        if (!c.resumed()) {
            throw new IllegalStateException("not resumed");
        }
        return c;
    }

    /** One 16 KiB application record sealed by the client and opened by the server. */
    @Benchmark
    public byte[] record16k() {
        bulkClient.write(record);
        bulkServer.feed(bulkClient.takeOutput());
        return bulkServer.read();
    }
}
