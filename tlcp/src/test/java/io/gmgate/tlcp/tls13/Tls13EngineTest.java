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

    /**
     * GmSSL's TLS 1.3 server refuses a ClientHello whose status_request it cannot parse, and we do not
     * use OCSP stapling: the client offers only what the SM suite needs (and SNI for a host name).
     */
    @Test
    void theClientHelloCarriesNoStatusRequest() {
        Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(false));
        List<Integer> extensions = clientHelloExtensions(client.takeOutput());
        assertFalse(extensions.contains(5), "status_request offered: " + extensions);
        assertTrue(extensions.containsAll(List.of(10, 13, 43, 51)),
                "supported_groups, signature_algorithms, supported_versions, key_share: " + extensions);
    }

    /** The extension types of the first ClientHello record, in order (RFC 8446 §4.1.2). */
    private static List<Integer> clientHelloExtensions(byte[] record) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(record);
        assertEquals(22, b.get(), "a handshake record");
        b.position(5);
        assertEquals(1, b.get(), "a ClientHello");
        b.position(b.position() + 3 + 2 + 32); // length, legacy_version, random
        skip(b, b.get() & 0xff); // legacy_session_id
        skip(b, b.getShort() & 0xffff); // cipher_suites
        skip(b, b.get() & 0xff); // legacy_compression_methods
        int length = b.getShort() & 0xffff;
        int end = b.position() + length;
        List<Integer> types = new java.util.ArrayList<>();
        while (b.position() < end) {
            types.add(b.getShort() & 0xffff);
            skip(b, b.getShort() & 0xffff);
        }
        return types;
    }

    private static void skip(java.nio.ByteBuffer b, int n) {
        b.position(b.position() + n);
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
