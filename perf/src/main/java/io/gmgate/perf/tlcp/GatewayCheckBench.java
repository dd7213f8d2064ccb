package io.gmgate.perf.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cert.X509CertificateHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.tlcp.CertificatePin;
import io.gmgate.tlcp.GatewayIdentity;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.X509CertificatePolicy;

/**
 * What a terminal spends per connection on the gateway's double certificate: the chain to its roots,
 * then who the server is (here a pin on the root, which walks the same signature path as the gateway
 * role; PerfPki's certificates carry no serverAuth usage). {@code eachConnectionOwnChecks} is what the
 * SDK did until 2026-12: a new chain check per connection and the identity check verifying the path's
 * signatures again; {@code eachConnectionShared} a new chain check that the identity check asks;
 * {@code keptForTheClientsLife} what the SDK does now.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GatewayCheckBench {

    private List<X509CertificateHolder> roots;
    private X509CertificateHolder sign;
    private Optional<X509CertificateHolder> enc;
    private GatewayIdentity identity;
    private X509CertificatePolicy kept;

    @Setup(Level.Trial)
    public void setup() {
        PerfPki pki = new PerfPki();
        roots = List.of(pki.root);
        sign = pki.server.signCertificate();
        enc = pki.server.encCertificate();
        identity = GatewayIdentity.foreign().pinned(List.of(CertificatePin.spkiOf(pki.root)));
        kept = new X509CertificatePolicy(roots, RevocationCheck.NONE, true);
    }

    @Benchmark
    public GatewayIdentity eachConnectionOwnChecks() {
        new X509CertificatePolicy(roots, RevocationCheck.NONE, true).check(sign, enc, List.of(), Instant.now());
        identity.check("localhost", sign, enc, List.of(), roots);
        return identity;
    }

    @Benchmark
    public GatewayIdentity eachConnectionShared() {
        identity.after(new X509CertificatePolicy(roots, RevocationCheck.NONE, true), "localhost", roots)
                .check(sign, enc, List.of(), Instant.now());
        return identity;
    }

    @Benchmark
    public GatewayIdentity keptForTheClientsLife() {
        identity.after(kept, "localhost", roots).check(sign, enc, List.of(), Instant.now());
        return identity;
    }
}
