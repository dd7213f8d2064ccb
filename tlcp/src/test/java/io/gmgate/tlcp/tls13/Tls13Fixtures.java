package io.gmgate.tlcp.tls13;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/** One test PKI with a server and a client SM2 signing certificate, and configs built from them. */
final class Tls13Fixtures {

    static final SecureRandom RANDOM = new SecureRandom();

    final TestPki pki = TestPki.create("tls13");
    final TestPki.Credential server = pki.issueSign("localhost");
    final TestPki.Credential client = pki.issueSign("trader-001");

    static Tls13Credentials credentials(TestPki.Credential c) {
        return new Tls13Credentials(List.of(c.certificate()), Sm2SignKey.of(c.key()));
    }

    Tls13ServerConfig serverConfig(ClientAuth auth) {
        return new Tls13ServerConfig(credentials(server), List.of(pki.rootCertificate()), auth,
                Clock.systemUTC(), RANDOM);
    }

    Tls13ClientConfig clientConfig(boolean withCertificate) {
        return new Tls13ClientConfig(List.of(pki.rootCertificate()), withCertificate ? credentials(client) : null,
                "localhost", Clock.systemUTC(), RANDOM);
    }

    /**
     * Moves bytes between two engines until neither has output, at most maxRounds times; chunk
     * limits each transfer (1 passes bytes one at a time). Returns the number of rounds used.
     */
    static int pump(Tls13Engine a, Tls13Engine b, int chunk, int maxRounds) {
        for (int round = 0; round < maxRounds; round++) {
            boolean moved = move(a, b, chunk) | move(b, a, chunk);
            if (!moved) {
                return round;
            }
        }
        throw new AssertionError("engines still talking after " + maxRounds + " rounds");
    }

    private static boolean move(Tls13Engine from, Tls13Engine to, int chunk) {
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
