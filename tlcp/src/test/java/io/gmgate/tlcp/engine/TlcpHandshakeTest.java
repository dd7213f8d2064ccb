package io.gmgate.tlcp.engine;

import static io.gmgate.tlcp.engine.TlcpFixtures.client;
import static io.gmgate.tlcp.engine.TlcpFixtures.pump;
import static io.gmgate.tlcp.engine.TlcpFixtures.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.TlcpEngine;

/** Our client against our server, in memory: every suite with every client-authentication mode. */
class TlcpHandshakeTest {

    static Stream<Arguments> cases() {
        return Stream.of(CipherSuite.values()).flatMap(s -> Stream.of(ClientAuth.values())
                .flatMap(a -> Stream.of(Arguments.of(s, a, true), Arguments.of(s, a, false))))
                // the ECDHE key exchange needs the client's encryption key: no certificate, no ECDHE
                .filter(a -> !(((CipherSuite) a.get()[0]).ecdhe && !(Boolean) a.get()[2]))
                // a required client certificate that is not sent is a failure case, tested elsewhere
                .filter(a -> !(a.get()[1] == ClientAuth.REQUIRED && !(Boolean) a.get()[2]));
    }

    @ParameterizedTest(name = "{0}, client auth {1}, client has certificate {2}")
    @MethodSource("cases")
    void handshakeAndDataBothWays(CipherSuite suite, ClientAuth auth, boolean clientHasCertificate) {
        TlcpEngine s = TlcpEngine.server("server", server(suite, auth));
        TlcpEngine c = TlcpEngine.client("client", client(suite, clientHasCertificate));
        pump(c, s, 1 << 20);

        assertTrue(c.isHandshakeComplete(), "client done");
        assertTrue(s.isHandshakeComplete(), "server done");
        assertEquals(suite, s.suite());
        assertEquals(suite, c.suite());
        boolean authenticated = (auth != ClientAuth.NONE || suite.ecdhe) && clientHasCertificate;
        assertEquals(authenticated, !s.peerCertificates().isEmpty());
        assertEquals(TlcpFixtures.SERVER.sign().certificate(), c.peerCertificates().get(0));

        byte[] big = new byte[70_000]; // more than four records
        new Random(1).nextBytes(big);
        c.write(big);
        pump(c, s, 1 << 20);
        assertArrayEquals(big, s.read());
        s.write("filled 100@3512".getBytes(StandardCharsets.US_ASCII));
        pump(c, s, 1 << 20);
        assertEquals("filled 100@3512", new String(c.read(), StandardCharsets.US_ASCII));

        c.close();
        pump(c, s, 1 << 20);
        assertTrue(s.isPeerClosed() && s.isClosed());
        assertFalse(s.hasOutput() && !c.isClosed());
    }

    @ParameterizedTest(name = "{0} one byte at a time")
    @MethodSource("suites")
    void oneByteAtATime(CipherSuite suite) {
        TlcpEngine s = TlcpEngine.server("server", server(suite, ClientAuth.REQUIRED));
        TlcpEngine c = TlcpEngine.client("client", client(suite, true));
        pump(c, s, 1);
        assertTrue(s.isHandshakeComplete() && c.isHandshakeComplete());
        c.write(new byte[] {1, 2, 3});
        pump(c, s, 1);
        assertArrayEquals(new byte[] {1, 2, 3}, s.read());
    }

    static Stream<CipherSuite> suites() {
        return Stream.of(CipherSuite.values());
    }
}
