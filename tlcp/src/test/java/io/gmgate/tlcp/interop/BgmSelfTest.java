package io.gmgate.tlcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.interop.BgmPeer.ClientAuth;
import io.gmgate.tlcp.interop.BgmPeer.Echo;
import io.gmgate.tlcp.interop.TestPki.DoubleCert;

/** Proves the harness: a BGM client against a BGM server, every suite, every client-auth mode. */
class BgmSelfTest {

    private static TestPki pki;
    private static DoubleCert serverCert;
    private static DoubleCert clientCert;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("bgm-self");
        serverCert = pki.issueDouble("localhost");
        clientCert = pki.issueDouble("trader-001");
    }

    static Stream<Arguments> cases() {
        return BgmPeer.SUITES.stream().flatMap(s -> Stream.of(ClientAuth.values()).map(a -> Arguments.of(s, a)));
    }

    @ParameterizedTest(name = "BGM client -> BGM server, {0}, client auth {1}")
    @MethodSource("cases")
    void echoRoundTrip(String suite, ClientAuth auth) throws Exception {
        byte[] msg = ("hello over " + suite).getBytes(StandardCharsets.US_ASCII);
        DoubleCert own = auth == ClientAuth.NONE ? null : clientCert;
        try (BgmPeer.Server server = BgmPeer.server(suite, auth, serverCert, pki.rootCertificate())) {
            if (!BgmPeer.handshakes(suite, auth)) {
                // ECDHE (SM2 key exchange, GB/T 38636-2020 §6.4.5.7) needs the client's encryption key.
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                        () -> BgmPeer.echo(server.port(), suite, own, pki.rootCertificate(), msg));
                assertTrue(e.getMessage().contains("sm2 key agreement"), e::getMessage);
                return;
            }
            Echo echo = BgmPeer.echo(server.port(), suite, own, pki.rootCertificate(), msg);
            assertArrayEquals(msg, echo.reply());
            assertEquals(suite, echo.cipherSuite());
            assertEquals("GMTLS", echo.protocol());
            assertTrue(server.awaitFirst());
            assertTrue(server.failures().isEmpty(), () -> "server failures: " + server.failures());
            Echo seen = server.sessions().get(0);
            assertEquals(suite, seen.cipherSuite());
            if (auth == ClientAuth.NONE) {
                assertEquals(List.of(), seen.peerChain());
            } else {
                // The BGM client sends sign, enc, then the root (GB/T 38636-2020 §6.4.5.6 order).
                assertEquals(3, seen.peerChain().size(), () -> seen.describeChain().toString());
                assertTrue(seen.peerChain().get(0).getKeyUsage()[0], "first client certificate signs");
                assertTrue(seen.peerChain().get(1).getKeyUsage()[2], "second client certificate enciphers keys");
            }
        }
    }
}
