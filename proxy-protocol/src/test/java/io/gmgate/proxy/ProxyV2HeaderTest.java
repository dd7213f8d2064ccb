package io.gmgate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ProxyV2HeaderTest {

    private static final VerifiedPeer TRADER = new VerifiedPeer(
            new InetSocketAddress("10.1.2.3", 51000), new InetSocketAddress("10.9.9.9", 9000),
            "TLCP1.1", "ECC_SM4_GCM_SM3", Optional.of("8001234"), Optional.of("0a1b2c"),
            Optional.of("8001234@futures"), "NORMAL");

    @Test
    void identityRoundTripsThroughTheHeader() {
        byte[] wire = ProxyV2Header.of(TRADER).encode();
        ProxyV2Header back = ProxyV2Header.parse(ByteBuffer.wrap(wire)).orElseThrow();

        assertEquals(TRADER.source(), back.source());
        assertEquals(TRADER.destination(), back.destination());
        assertEquals("8001234", back.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text());
        assertEquals("0a1b2c", back.tlv(ProxyV2Header.TYPE_GMGATE_CERT_SERIAL).orElseThrow().text());
        assertEquals("NORMAL", back.tlv(ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).orElseThrow().text());
        assertEquals(Optional.of("TLCP1.1"), back.sslField(ProxyV2Header.SUBTYPE_SSL_VERSION));
        assertEquals(Optional.of("ECC_SM4_GCM_SM3"), back.sslField(ProxyV2Header.SUBTYPE_SSL_CIPHER));
        assertEquals(Optional.of("8001234@futures"), back.sslField(ProxyV2Header.SUBTYPE_SSL_CN));
    }

    @Test
    void headerMatchesTheSpecLayout() {
        byte[] wire = ProxyV2Header.of(TRADER).encode();
        assertArrayEquals(ProxyV2Header.SIGNATURE, Arrays.copyOf(wire, 12));
        assertEquals(0x21, wire[12]); // version 2, PROXY command
        assertEquals(0x11, wire[13]); // TCP over IPv4
        assertEquals(wire.length - 16, ((wire[14] & 0xFF) << 8) | (wire[15] & 0xFF));
        assertArrayEquals(new byte[] {10, 1, 2, 3}, Arrays.copyOfRange(wire, 16, 20));
    }

    @Test
    void ipv6AndMixedFamiliesUseTheSixteenByteForm() {
        VerifiedPeer v6 = VerifiedPeer.plain(new InetSocketAddress("::1", 40000),
                new InetSocketAddress("127.0.0.1", 9000), "BYPASS");
        byte[] wire = ProxyV2Header.of(v6).encode();
        assertEquals(0x21, wire[13]);
        ProxyV2Header back = ProxyV2Header.parse(ByteBuffer.wrap(wire)).orElseThrow();
        assertEquals(40000, back.source().getPort());
        assertTrue(back.tlv(ProxyV2Header.TYPE_SSL).isEmpty(), "a plain connection claims no TLS");
    }

    @Test
    void everyPrefixAsksForMoreBytesAndLeavesThePositionAlone() {
        byte[] wire = ProxyV2Header.of(TRADER).encode();
        for (int n = 0; n < wire.length; n++) {
            ByteBuffer partial = ByteBuffer.wrap(wire, 0, n);
            assertTrue(ProxyV2Header.parse(partial).isEmpty(), "prefix of " + n);
            assertEquals(0, partial.position());
        }
    }

    @Test
    void trailingPayloadIsLeftInTheBuffer() {
        byte[] wire = ProxyV2Header.of(TRADER).encode();
        ByteBuffer in = ByteBuffer.allocate(wire.length + 3).put(wire).put(new byte[] {1, 2, 3}).flip();
        ProxyV2Header.parse(in).orElseThrow();
        assertEquals(3, in.remaining());
    }

    @Test
    void malformedHeadersAreRefusedWithFront302() {
        byte[] good = ProxyV2Header.of(TRADER).encode();
        byte[][] bad = {
                mutate(good, 0, (byte) 'G'),          // "GET / ..." is not a PROXY header
                mutate(good, 12, (byte) 0x11),        // version 1
                mutate(good, 13, (byte) 0x31),        // AF_UNIX
                mutate(mutate(good, 14, (byte) 0x00), 15, (byte) 0x04), // shorter than the addresses
                mutate(mutate(good, 14, (byte) 0x7F), 15, (byte) 0xFF), // over the size limit
                mutate(good, good.length - 8, (byte) 0x7F),   // the last TLV ("NORMAL") claims more than remains
        };
        for (byte[] b : bad) {
            ProxyHeaderException e = assertThrows(ProxyHeaderException.class, () -> ProxyV2Header.parse(ByteBuffer.wrap(b)));
            assertEquals(ProxyErrors.BAD_PROXY_HEADER, e.errorCode());
        }
    }

    private static byte[] mutate(byte[] in, int at, byte value) {
        byte[] out = in.clone();
        out[at] = value;
        return out;
    }
}
