package io.gmgate.tlcp.engine;

import static io.gmgate.tlcp.engine.TlcpFixtures.client;
import static io.gmgate.tlcp.engine.TlcpFixtures.pump;
import static io.gmgate.tlcp.engine.TlcpFixtures.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * Our server takes a client's authentication in either dialect (design §13): the standard's
 * CertificateVerify over SM3(handshake messages) with sign + enc certificates, and GmSSL's over the
 * messages themselves with the sign chain only in the ECC suites. A CertificateVerify that verifies
 * in neither form is refused with decrypt_error.
 */
class PeerDialectTest {

    static Stream<Arguments> cases() {
        return Stream.of(CipherSuite.values()).flatMap(s -> Stream.of(PeerDialect.values()).map(d -> Arguments.of(s, d)));
    }

    @ParameterizedTest(name = "{0}, client speaks {1}")
    @MethodSource("cases")
    void serverAcceptsBothDialects(CipherSuite suite, PeerDialect dialect) {
        TlcpEngine s = TlcpEngine.server("server", server(suite, ClientAuth.REQUIRED));
        TlcpEngine c = TlcpEngine.client("client", client(suite, true).withDialect(dialect));
        pump(c, s, 1 << 20);
        assertTrue(s.isHandshakeComplete() && c.isHandshakeComplete());
        // GmSSL's client sends no encryption certificate in the ECC suites; the fixtures send no CAs
        int expected = dialect == PeerDialect.GMSSL && !suite.ecdhe ? 1 : 2;
        assertEquals(expected, s.peerCertificates().size());
        assertEquals(TlcpFixtures.TRADER.sign().certificate(), s.peerCertificates().get(0));
    }

    @ParameterizedTest(name = "{0}, client speaks {1}, signature altered")
    @MethodSource("cases")
    void alteredCertificateVerifyIsRefused(CipherSuite suite, PeerDialect dialect) {
        TlcpEngine s = TlcpEngine.server("server", server(suite, ClientAuth.REQUIRED));
        TlcpEngine c = TlcpEngine.client("client", client(suite, true).withDialect(dialect));
        s.feed(c.takeOutput());
        c.feed(s.takeOutput());
        byte[] flight = c.takeOutput();
        alterLastSignatureByte(flight);
        TlcpException e = assertThrows(TlcpException.class, () -> s.feed(flight));
        assertSame(Alert.DECRYPT_ERROR, e.alert());
        assertEquals(TlcpErrors.HANDSHAKE_FAILED, e.errorCode());
        assertTrue(s.isClosed());
    }

    /**
     * Walks the plaintext handshake records of the client's second flight to the CertificateVerify
     * (type 15: signature<2>, DER) and flips the last byte of s, which keeps the DER well formed.
     */
    private static void alterLastSignatureByte(byte[] flight) {
        int p = 0;
        while (p + 5 <= flight.length) {
            int type = flight[p] & 0xFF;
            int length = (flight[p + 3] & 0xFF) << 8 | flight[p + 4] & 0xFF;
            if (type == 22) {
                int m = p + 5;
                while (m + 4 <= p + 5 + length) {
                    int msgType = flight[m] & 0xFF;
                    int msgLength = (flight[m + 1] & 0xFF) << 16 | (flight[m + 2] & 0xFF) << 8 | flight[m + 3] & 0xFF;
                    if (msgType == 15) {
                        flight[m + 4 + msgLength - 1] ^= 0x01;
                        return;
                    }
                    m += 4 + msgLength;
                }
            }
            p += 5 + length;
        }
        throw new AssertionError("no CertificateVerify in the client's flight");
    }
}
