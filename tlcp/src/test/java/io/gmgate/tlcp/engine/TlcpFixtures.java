package io.gmgate.tlcp.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;

/** One test PKI with a server and a trader double certificate, and engines built from them. */
final class TlcpFixtures {

    static final SecureRandom RANDOM = new SecureRandom();
    static final TestPki PKI = TestPki.create("tlcp-engine");
    static final TestPki.DoubleCert SERVER = PKI.issueDouble("localhost");
    static final TestPki.DoubleCert TRADER = PKI.issueDouble("8001234");

    private TlcpFixtures() {
    }

    static TlcpCredentials credentials(TestPki.DoubleCert d) {
        return TlcpCredentials.inMemory(d.sign().certificate(), d.sign().key(), d.enc().certificate(), d.enc().key(), List.of());
    }

    static TlcpServerConfig server(List<CipherSuite> suites, ClientAuth auth, SessionCache cache, RevocationCheck revocation) {
        return new TlcpServerConfig(suites, auth, credentials(SERVER),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), revocation, false), cache, Clock.systemUTC(), RANDOM);
    }

    static TlcpServerConfig server(CipherSuite suite, ClientAuth auth) {
        return server(List.of(suite), auth, new InMemorySessionCache(100, Duration.ofHours(1), Clock.systemUTC()),
                RevocationCheck.NONE);
    }

    static TlcpClientConfig client(CipherSuite suite, boolean withCertificate) {
        return new TlcpClientConfig(List.of(suite), withCertificate ? Optional.of(credentials(TRADER)) : Optional.empty(),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
    }

    /** Moves bytes between the engines until neither has anything to send; chunk 1 passes bytes one at a time. */
    static void pump(TlcpEngine client, TlcpEngine server, int chunk) {
        for (int round = 0; round < 50; round++) {
            boolean moved = move(client, server, chunk) | move(server, client, chunk);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("engines still talking after 50 rounds");
    }

    private static boolean move(TlcpEngine from, TlcpEngine to, int chunk) {
        byte[] out = from.takeOutput();
        if (out.length == 0 || to.isClosed()) {
            return false;
        }
        for (int off = 0; off < out.length; off += chunk) {
            to.feed(out, off, Math.min(chunk, out.length - off));
        }
        return true;
    }
}
