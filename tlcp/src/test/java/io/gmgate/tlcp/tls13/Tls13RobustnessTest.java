package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/**
 * Bad input to the TLS 1.3 server engine: every outcome is either "waiting for more" or a
 * {@link Tls13Exception} with a TLS-15x code and an alert queued for the peer — never another
 * exception, a hang or an unbounded buffer. The seeded runs are short in CI; a longer one:
 * {@code mvn -pl tlcp -am verify -Dtest=Tls13RobustnessTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtls13.fuzz.iterations=100000 -Dtls13.fuzz.seed=N}.
 */
class Tls13RobustnessTest {

    private static final Tls13Fixtures F = new Tls13Fixtures();
    private static final int ITERATIONS = Integer.getInteger("tls13.fuzz.iterations", 300);
    private static final long SEED = Long.getLong("tls13.fuzz.seed", 8998L);
    private static final Set<String> OUR_CODES = Set.of("TLS-150", "TLS-151", "TLS-152", "TLS-153", "TLS-154",
            "TLS-155", "TLS-156", "TLS-157", "TLS-158", "TLS-159");

    private static byte[] hello;

    @BeforeAll
    static void realClientHello() {
        hello = Tls13Engine.client("fuzz", F.clientConfig(false)).takeOutput();
    }

    private static Tls13Engine server() {
        return Tls13Engine.server("fuzz-srv", F.serverConfig(ClientAuth.NONE));
    }

    @Test
    void everyTruncationWaitsThenEndOfStreamIsTls150() {
        for (int n = 0; n < hello.length; n++) {
            Tls13Engine s = server();
            s.feed(hello, 0, n);
            assertEquals(0, s.pendingOutput(), "server answered a ClientHello cut at " + n);
            Tls13Exception e = assertThrows(Tls13Exception.class, s::endOfInput, "cut at " + n);
            assertEquals("TLS-150", e.errorCode().code(), e.getMessage());
            assertTrue(s.isClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "TLCP record version,                 160101002f0100002b0101",
            "record over 2^14 + 256 bytes,        1603034101",
            "not a handshake record,              170303001000000000000000000000000000000000",
            "ServerHello sent to a server,        16030300060200000203030000",
            "handshake length beyond record,      16030300080100ffff0303",
            "alert before hello,                  15030300020228",
            "SSLv2-style hello,                   802b0103010012",
    })
    void craftedGarbageIsACleanTlsError(String name, String hex) {
        Tls13Engine s = server();
        byte[] bytes = HexFormat.of().parseHex(hex);
        try {
            s.feed(bytes);
            s.endOfInput();
            fail(name + ": accepted");
        } catch (Tls13Exception e) {
            assertTrue(OUR_CODES.contains(e.errorCode().code()), name + ": " + e.getMessage());
        }
        assertTrue(s.isClosed(), name);
    }

    @Test
    void tls12OnlyClientHelloIsNoCommonParameters() throws Exception {
        org.bouncycastle.tls.TlsClientProtocol p = new org.bouncycastle.tls.TlsClientProtocol();
        p.connect(new org.bouncycastle.tls.DefaultTlsClient(new org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto()) {
            @Override
            protected org.bouncycastle.tls.ProtocolVersion[] getSupportedVersions() {
                return org.bouncycastle.tls.ProtocolVersion.TLSv12.only();
            }

            @Override
            public org.bouncycastle.tls.TlsAuthentication getAuthentication() {
                throw new UnsupportedOperationException();
            }
        });
        byte[] h12 = new byte[p.getAvailableOutputBytes()];
        p.readOutput(h12, 0, h12.length);
        Tls13Engine s = server();
        Tls13Exception e = assertThrows(Tls13Exception.class, () -> s.feed(h12));
        assertEquals("TLS-151", e.errorCode().code(), e.getMessage());
        assertAlertQueued(s);
    }

    /** Random bytes behind a plausible TLS record header, and pure random bytes. */
    @Test
    void seededGarbage() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(700)];
            rnd.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 5) {
                junk[0] = 0x16;
                junk[1] = 0x03;
                junk[2] = (byte) (1 + rnd.nextInt(3));
            }
            feedExpectingCleanOutcome(junk, "garbage #" + i + " (seed " + SEED + ")");
        }
    }

    /** A real ClientHello with one to four bytes changed, fed in random-sized pieces. */
    @Test
    void seededMutationsOfARealClientHello() {
        Random rnd = new Random(SEED + 1);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] m = hello.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) == 0) {
                m = Arrays.copyOf(m, rnd.nextInt(m.length));
            }
            feedExpectingCleanOutcome(m, "mutation #" + i + " (seed " + (SEED + 1) + ")");
        }
    }

    private static void feedExpectingCleanOutcome(byte[] input, String what) {
        Tls13Engine s = server();
        Random pieces = new Random(input.length);
        try {
            for (int off = 0; off < input.length; ) {
                int n = Math.min(input.length - off, 1 + pieces.nextInt(64));
                s.feed(input, off, n);
                off += n;
            }
            s.endOfInput();
            // Still here: the mutation left a valid ClientHello, and the server answered it.
            assertTrue(s.pendingOutput() > 0, what + ": neither answered nor refused");
        } catch (Tls13Exception e) {
            assertTrue(OUR_CODES.contains(e.errorCode().code()), what + ": " + e.getMessage());
            assertTrue(s.isClosed(), what);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": escaped as " + e, e);
        }
    }

    private static void assertAlertQueued(Tls13Engine s) {
        byte[] out = s.takeOutput();
        assertTrue(out.length >= 7 && out[out.length - 7] == 21, "no alert record queued: " + HexFormat.of().formatHex(out));
    }
}
