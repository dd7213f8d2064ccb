package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/** Our TLS 1.3 client against our TLS 1.3 server, in memory, byte by byte where it matters. */
class Tls13EngineTest {

    private static final Tls13Fixtures F = new Tls13Fixtures();

    @ParameterizedTest(name = "client auth {0}, client has certificate {1}, chunk {2}")
    @CsvSource({
            "NONE,     false, 16384",
            "NONE,     true,  1",
            "OPTIONAL, false, 16384",
            "OPTIONAL, true,  16384",
            "REQUIRED, true,  1",
            "REQUIRED, true,  7",
    })
    void handshakeAndEcho(ClientAuth auth, boolean clientHasCert, int chunk) {
        Tls13Engine server = Tls13Engine.server("srv", F.serverConfig(auth));
        Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(clientHasCert));
        Tls13Fixtures.pump(client, server, chunk, 50);
        assertTrue(client.isHandshakeComplete());
        assertTrue(server.isHandshakeComplete());
        assertEquals(F.server.certificate(), client.peerCertificates().get(0));
        boolean clientAuthenticated = auth != ClientAuth.NONE && clientHasCert;
        assertEquals(clientAuthenticated ? List.of(F.client.certificate()) : List.of(), server.peerCertificates());

        byte[] msg = "order 42: buy 1 lot".getBytes(StandardCharsets.US_ASCII);
        client.write(msg);
        Tls13Fixtures.pump(client, server, chunk, 10);
        assertArrayEquals(msg, server.read());
        server.write(msg);
        Tls13Fixtures.pump(client, server, chunk, 10);
        assertArrayEquals(msg, client.read());

        client.close();
        Tls13Fixtures.pump(client, server, chunk, 10);
        assertTrue(server.isClosed());
        assertTrue(client.isClosed());
    }

    @Test
    void requiredClientCertificateMissingIsTls154OnBothSides() {
        Tls13Engine server = Tls13Engine.server("srv", F.serverConfig(ClientAuth.REQUIRED));
        Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(false));
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> Tls13Fixtures.pump(client, server, 16384, 20));
        assertEquals("TLS-154", e.errorCode().code(), e.getMessage());
        assertEquals("TLS-154", server.failure().errorCode().code());
        // The alert reaches the client, which reports the same code.
        Tls13Exception c = assertThrows(Tls13Exception.class, () -> client.feed(server.takeOutput()));
        assertEquals("TLS-154", c.errorCode().code(), c.getMessage());
    }

    @Test
    void untrustedServerIsRejectedByTheClientWithCert100() {
        TestPki other = TestPki.create("other");
        Tls13ClientConfig cfg = new Tls13ClientConfig(List.of(other.rootCertificate()), null, "localhost",
                Clock.systemUTC(), Tls13Fixtures.RANDOM);
        Tls13Engine server = Tls13Engine.server("srv", F.serverConfig(ClientAuth.NONE));
        Tls13Engine client = Tls13Engine.client("cli", cfg);
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> Tls13Fixtures.pump(client, server, 16384, 20));
        assertEquals("CERT-100", e.errorCode().code(), e.getMessage());
        assertTrue(e.getMessage().contains("unknown_ca"), e.getMessage());
        assertEquals("TLS-153", feedAndFail(server, client.takeOutput()).errorCode().code());
    }

    @Test
    void expiredServerCertificateSeenThroughTheConfiguredClockIsCert101() {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(365));
        Tls13ClientConfig cfg = new Tls13ClientConfig(List.of(F.pki.rootCertificate()), null, "localhost",
                later, Tls13Fixtures.RANDOM);
        Tls13Engine server = Tls13Engine.server("srv", F.serverConfig(ClientAuth.NONE));
        Tls13Engine client = Tls13Engine.client("cli", cfg);
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> Tls13Fixtures.pump(client, server, 16384, 20));
        assertEquals("CERT-101", e.errorCode().code());
        assertTrue(e.getMessage().contains("certificate_expired"), e.getMessage());
    }

    @Test
    void failingKeyOperationIsTls158() {
        Sm2SignKey broken = new Sm2SignKey() {
            @Override
            public io.gmgate.crypto.Sm2PublicKey publicKey() {
                return F.server.key().publicKey();
            }

            @Override
            public io.gmgate.crypto.Sm2Signature signDigest(byte[] e) {
                throw new IllegalStateException("card removed");
            }
        };
        Tls13ServerConfig cfg = Tls13ServerConfig.oneWay(
                new Tls13Credentials(List.of(F.server.certificate()), broken), Clock.systemUTC(), Tls13Fixtures.RANDOM);
        Tls13Engine server = Tls13Engine.server("srv", cfg);
        Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(false));
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> Tls13Fixtures.pump(client, server, 16384, 20));
        assertEquals("TLS-158", e.errorCode().code(), e.getMessage());
    }

    @Test
    void keyNotMatchingTheCertificateIsRefusedAtConfiguration() {
        TestPki.Credential other = F.pki.issueSign("other");
        Tls13Exception e = assertThrows(Tls13Exception.class,
                () -> new Tls13Credentials(List.of(F.server.certificate()), Sm2SignKey.of(other.key())));
        assertEquals("TLS-157", e.errorCode().code());
    }

    @Test
    void applicationDataBeforeHandshakeIsAnEngineStateError() {
        Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(false));
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> client.write(new byte[] {1}));
        assertEquals("TLS-156", e.errorCode().code());
        assertFalse(client.isClosed());
    }

    private static Tls13Exception feedAndFail(Tls13Engine engine, byte[] bytes) {
        return assertThrows(Tls13Exception.class, () -> engine.feed(bytes));
    }
}
