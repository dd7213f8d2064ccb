package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.interop.BgmPeer;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.tls13.ProtocolSniffer.Kind;
import io.gmgate.tlcp.tls13.ProtocolSniffer.Verdict;

/** The sniffer as a table: real first flights from real clients, and crafted edge cases. */
class ProtocolSnifferTest {

    private static byte[] tls13Hello;
    private static byte[] tls12Hello;
    private static byte[] tlcpHello;

    @BeforeAll
    static void captureRealClientHellos() throws Exception {
        tls13Hello = Tls13Engine.client("sniff", new Tls13Fixtures().clientConfig(false)).takeOutput();
        TlsClientProtocol tls12 = new TlsClientProtocol();
        tls12.connect(new DefaultTlsClient(new BcTlsCrypto()) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv12.only();
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new ServerOnlyTlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate c) {
                    }
                };
            }
        });
        tls12Hello = new byte[tls12.getAvailableOutputBytes()];
        tls12.readOutput(tls12Hello, 0, tls12Hello.length);
        tlcpHello = captureBgmClientHello();
    }

    /** Lets the BGMProvider TLCP client talk to a plain socket and keeps its first flight. */
    private static byte[] captureBgmClientHello() throws Exception {
        TestPki pki = TestPki.create("sniff");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try {
                    BgmPeer.echo(listener.getLocalPort(), "ECC_SM4_CBC_SM3", null, pki.rootCertificate(), new byte[1]);
                } catch (IOException expected) {
                    // The plain listener never answers the handshake.
                }
            });
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] header = in.readNBytes(5);
                int len = (header[3] & 0xFF) << 8 | header[4] & 0xFF;
                byte[] all = Arrays.copyOf(header, 5 + len);
                System.arraycopy(in.readNBytes(len), 0, all, 5, len);
                s.close();
                client.get(20, TimeUnit.SECONDS);
                return all;
            }
        }
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing yet", hex(""), Kind.NEED_MORE, 1),
                Arguments.of("handshake type only", hex("16"), Kind.NEED_MORE, 3),
                Arguments.of("TLCP record version", hex("160101"), Kind.TLCP, 0),
                Arguments.of("TLS record version, no length yet", hex("160301"), Kind.NEED_MORE, 5),
                Arguments.of("TLS record header only", hex("1603010200"), Kind.NEED_MORE, 11),
                Arguments.of("TLS record carrying a TLCP ClientHello", hex("16030100400100003c0101"), Kind.TLCP, 0),
                Arguments.of("TLS 1.0 ClientHello", hex("16030100400100003c0301"), Kind.TLS_OTHER, 0),
                Arguments.of("not a ClientHello", hex("16030300400200003c0303"), Kind.TLS_OTHER, 0),
                Arguments.of("record longer than 2^14", hex("1603034001"), Kind.TLS_OTHER, 0),
                Arguments.of("record too short for a ClientHello", hex("1603030005"), Kind.TLS_OTHER, 0),
                Arguments.of("SSL 3.0 record", hex("16030000400100003c0300"), Kind.TLS_OTHER, 0),
                Arguments.of("0x16 then a version nobody uses", hex("160200"), Kind.PLAIN, 0),
                Arguments.of("HTTP request", ascii("GET / HTTP/1.1\r\n"), Kind.PLAIN, 0),
                Arguments.of("PROXY protocol v1", ascii("PROXY TCP4 127.0.0.1 127.0.0.1 1 2\r\n"), Kind.PLAIN, 0),
                Arguments.of("SSLv2-style hello", hex("802b0103010012"), Kind.PLAIN, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void crafted(String name, byte[] bytes, Kind kind, int needed) {
        assertEquals(new Verdict(kind, needed), ProtocolSniffer.sniff(bytes));
    }

    @Test
    void realClientHellos() {
        assertEquals(Kind.TLS13, ProtocolSniffer.sniff(tls13Hello).kind());
        assertEquals(Kind.TLS_OTHER, ProtocolSniffer.sniff(tls12Hello).kind());
        assertEquals(Kind.TLCP, ProtocolSniffer.sniff(tlcpHello).kind());
        assertEquals(0x0101, (tlcpHello[1] & 0xFF) << 8 | tlcpHello[2] & 0xFF, "BGM's TLCP record version");
    }

    /** Every prefix either asks for more (and for more than it has) or already gives the final answer. */
    @Test
    void everyPrefixOfARealHelloWaitsOrAnswersRightly() {
        for (byte[] hello : List.of(tls13Hello, tls12Hello, tlcpHello)) {
            Kind full = ProtocolSniffer.sniff(hello).kind();
            for (int n = 0; n <= hello.length; n++) {
                Verdict v = ProtocolSniffer.sniff(hello, 0, n);
                if (v.kind() == Kind.NEED_MORE) {
                    assertTrue(v.needed() > n && v.needed() <= hello.length, "prefix " + n + " asks for " + v.needed());
                } else {
                    assertEquals(full, v.kind(), "prefix " + n);
                }
            }
        }
    }

    /** Extra bytes after the first record (the next flight already arrived) change nothing. */
    @Test
    void trailingBytesDoNotChangeTheVerdict() {
        byte[] more = Arrays.copyOf(tls13Hello, tls13Hello.length + 100);
        assertEquals(Kind.TLS13, ProtocolSniffer.sniff(more).kind());
    }

    /** A TLS 1.3 hello cut short inside its own length fields is still TLS, never plain. */
    @Test
    void corruptedExtensionsAreTlsOtherNotPlain() {
        byte[] bad = tls13Hello.clone();
        // Claim the handshake body is longer than the record: extensions are read only inside the record.
        bad[6] = 0x7f;
        Verdict v = ProtocolSniffer.sniff(bad);
        assertTrue(v.kind() == Kind.TLS_OTHER || v.kind() == Kind.TLS13, v.toString());
        for (int i = 43; i < bad.length; i += 3) {
            byte[] b = tls13Hello.clone();
            b[i] = (byte) 0xFF;
            Kind k = ProtocolSniffer.sniff(b).kind();
            assertTrue(k == Kind.TLS13 || k == Kind.TLS_OTHER, "flipping byte " + i + " gave " + k);
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
