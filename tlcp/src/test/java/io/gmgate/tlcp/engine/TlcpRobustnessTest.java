package io.gmgate.tlcp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;

/**
 * What the engine does with bad peers: certificates it must refuse, a wrong version, cut and
 * oversized records, and a seeded, bounded fuzz of the first flights — always a
 * {@link TlcpException} with a TLS- or CERT- code, never another exception or a hang.
 */
class TlcpRobustnessTest {

    private static TlcpServerConfig server(TlcpCredentials creds) {
        TlcpServerConfig base = TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.NONE);
        return new TlcpServerConfig(base.suites(), base.clientAuth(), creds, base.clientPolicy(), base.sessions(),
                base.clock(), base.random());
    }

    private static TlcpClientConfig client(List<org.bouncycastle.cert.X509CertificateHolder> roots, Clock clock) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), Optional.empty(),
                new X509CertificatePolicy(roots, RevocationCheck.NONE, true), Optional.empty(), EcdheEncoding.BARE, clock,
                TlcpFixtures.RANDOM);
    }

    private static TlcpException handshakeFails(TlcpServerConfig s, TlcpClientConfig c) {
        TlcpEngine server = TlcpEngine.server("s", s);
        TlcpEngine cl = TlcpEngine.client("c", c);
        return assertThrows(TlcpException.class, () -> TlcpFixtures.pump(cl, server, 1 << 20));
    }

    @Test
    void anUntrustedExpiredOrMisusedServerCertificateIsRefused() {
        TlcpServerConfig good = server(TlcpFixtures.credentials(TlcpFixtures.SERVER));
        TestPki stranger = TestPki.create("stranger");
        assertEquals(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED,
                handshakeFails(good, client(List.of(stranger.rootCertificate()), Clock.systemUTC())).errorCode());
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
        assertEquals(TlcpErrors.PEER_CERTIFICATE_EXPIRED,
                handshakeFails(good, client(List.of(TlcpFixtures.PKI.rootCertificate()), later)).errorCode());
        // the encryption certificate presented where the sign certificate belongs
        TestPki.DoubleCert d = TlcpFixtures.SERVER;
        TlcpCredentials swapped = TlcpCredentials.inMemory(d.enc().certificate(), d.enc().key(), d.sign().certificate(),
                d.sign().key(), List.of());
        assertEquals(TlcpErrors.PAIR_SWAPPED,
                handshakeFails(server(swapped), client(List.of(TlcpFixtures.PKI.rootCertificate()), Clock.systemUTC())).errorCode());
    }

    @Test
    void aClientHelloOfAnotherVersionIsRefused() {
        byte[] hello = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, false)).takeOutput();
        hello[9] = 0x03; // ClientHello.client_version 0x0101 -> 0x0303
        hello[10] = 0x03;
        TlcpEngine server = TlcpEngine.server("s", TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.NONE));
        TlcpException e = assertThrows(TlcpException.class, () -> server.feed(hello));
        assertEquals(TlcpErrors.VERSION, e.errorCode());
        assertTrue(server.takeOutput().length > 0, "a protocol_version alert is queued");
    }

    @Test
    void truncatedAndOversizedRecordsAreRefused() {
        TlcpEngine server = TlcpEngine.server("s", TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.NONE));
        byte[] hello = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, false)).takeOutput();
        server.feed(java.util.Arrays.copyOf(hello, hello.length - 3));
        assertEquals(TlcpErrors.CLOSED, assertThrows(TlcpException.class, server::endOfInput).errorCode());

        TlcpEngine other = TlcpEngine.server("s2", TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.NONE));
        byte[] huge = {22, 1, 1, 0x50, 0x00};
        assertEquals(TlcpErrors.RECORD_OVERFLOW, assertThrows(TlcpException.class, () -> other.feed(huge)).errorCode());
    }

    @Test
    void aSeededFuzzOfTheFirstFlightsOnlyEverGivesCodedFailures() {
        Random random = new Random(Long.getLong("tlcp.fuzz.seed", 20261123L));
        int iterations = Integer.getInteger("tlcp.fuzz.iterations", 400);
        int refused = 0;
        for (int i = 0; i < iterations; i++) {
            TlcpEngine s = TlcpEngine.server("s", TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.OPTIONAL));
            TlcpEngine c = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true));
            byte[] hello = c.takeOutput();
            byte[] flight = i % 2 == 0 ? hello : serverFlight(hello);
            byte[] mutated = flight.clone();
            for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            TlcpEngine target = i % 2 == 0 ? s : c;
            try {
                for (int off = 0; off < mutated.length; ) {
                    int len = Math.min(mutated.length - off, 1 + random.nextInt(64));
                    target.feed(mutated, off, len);
                    off += len;
                }
            } catch (TlcpException e) {
                assertTrue(e.errorCode().code().startsWith("TLS-") || e.errorCode().code().startsWith("CERT-"), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > iterations / 4, "most mutations are refused (" + refused + " of " + iterations + ")");
    }

    private static byte[] serverFlight(byte[] hello) {
        TlcpEngine s = TlcpEngine.server("s", TlcpFixtures.server(CipherSuite.ECC_SM4_GCM_SM3, ClientAuth.OPTIONAL));
        s.feed(hello);
        return s.takeOutput();
    }
}
