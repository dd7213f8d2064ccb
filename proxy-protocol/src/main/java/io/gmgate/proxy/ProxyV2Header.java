package io.gmgate.proxy;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The PROXY protocol version 2 header (haproxy.org/download/2.9/doc/proxy-protocol.txt) that the
 * gateway writes before the first byte of every relayed stream, so the trading front learns the
 * terminal's address and the identity the gateway verified.
 *
 * <p>TLVs: PP2_TYPE_SSL (0x20) with the protocol version, certificate CN and cipher sub-TLVs, as
 * the spec defines them; the account, certificate serial and access mode travel in the custom
 * range 0xE0..0xE2, which the spec reserves for applications.
 */
public record ProxyV2Header(InetSocketAddress source, InetSocketAddress destination, List<Tlv> tlvs) {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int FIXED_LENGTH = 16;
    /** Headers beyond this are refused: ours are a few hundred bytes, the spec allows 64 KiB. */
    public static final int MAX_LENGTH = 4096;

    public static final int TYPE_SSL = 0x20;
    public static final int SUBTYPE_SSL_VERSION = 0x21;
    public static final int SUBTYPE_SSL_CN = 0x22;
    public static final int SUBTYPE_SSL_CIPHER = 0x23;
    public static final int TYPE_GMGATE_ACCOUNT = 0xE0;
    public static final int TYPE_GMGATE_CERT_SERIAL = 0xE1;
    public static final int TYPE_GMGATE_ACCESS_MODE = 0xE2;

    private static final int CLIENT_SSL = 0x01;
    private static final int CLIENT_CERT_CONN = 0x02;

    public ProxyV2Header {
        tlvs = List.copyOf(tlvs);
    }

    /** One type-length-value; for PP2_TYPE_SSL the value is client flags, verify result and sub-TLVs. */
    public record Tlv(int type, byte[] value) {
        public Tlv {
            if (type < 0 || type > 0xFF || value.length > 0xFFFF) {
                throw new IllegalArgumentException("TLV type 0..255 and value up to 65535 bytes");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
        }
    }

    public static ProxyV2Header of(VerifiedPeer peer) {
        List<Tlv> tlvs = new ArrayList<>();
        if (!"PLAIN".equals(peer.protocol())) {
            tlvs.add(new Tlv(TYPE_SSL, sslValue(peer)));
        }
        peer.account().ifPresent(a -> tlvs.add(text(TYPE_GMGATE_ACCOUNT, a)));
        peer.certificateSerialHex().ifPresent(s -> tlvs.add(text(TYPE_GMGATE_CERT_SERIAL, s)));
        tlvs.add(text(TYPE_GMGATE_ACCESS_MODE, peer.accessMode()));
        return new ProxyV2Header(peer.source(), peer.destination(), tlvs);
    }

    private static byte[] sslValue(VerifiedPeer peer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(CLIENT_SSL | (peer.clientAuthenticated() ? CLIENT_CERT_CONN : 0));
        out.writeBytes(new byte[4]); // verify = 0: the gateway only relays connections it verified
        writeTlv(out, text(SUBTYPE_SSL_VERSION, peer.protocol()));
        writeTlv(out, text(SUBTYPE_SSL_CIPHER, peer.suite()));
        peer.subjectCommonName().ifPresent(cn -> writeTlv(out, text(SUBTYPE_SSL_CN, cn)));
        return out.toByteArray();
    }

    private static Tlv text(int type, String value) {
        return new Tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] encode() {
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(addressBytes(source.getAddress(), v4));
        body.writeBytes(addressBytes(destination.getAddress(), v4));
        writeShort(body, source.getPort());
        writeShort(body, destination.getPort());
        for (Tlv t : tlvs) {
            writeTlv(body, t);
        }
        ByteBuffer out = ByteBuffer.allocate(FIXED_LENGTH + body.size());
        out.put(SIGNATURE).put((byte) 0x21).put((byte) (v4 ? 0x11 : 0x21)).putShort((short) body.size());
        out.put(body.toByteArray());
        return out.array();
    }

    private static byte[] addressBytes(InetAddress address, boolean v4) {
        byte[] raw = address.getAddress();
        if (v4 || raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16]; // IPv4-mapped IPv6 when the two ends differ in family
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static void writeTlv(ByteArrayOutputStream out, Tlv t) {
        out.write(t.type);
        writeShort(out, t.value.length);
        out.writeBytes(t.value);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    /** The first TLV of this type, if any. */
    public Optional<Tlv> tlv(int type) {
        return tlvs.stream().filter(t -> t.type == type).findFirst();
    }

    /** A sub-TLV of PP2_TYPE_SSL, if present. */
    public Optional<String> sslField(int subtype) {
        return tlv(TYPE_SSL).flatMap(ssl -> {
            byte[] v = ssl.value;
            return parseTlvs(v, 5, v.length).stream().filter(t -> t.type == subtype).findFirst().map(Tlv::text);
        });
    }

    /**
     * Reads a header from the start of {@code in}. Returns empty when more bytes are needed (the
     * buffer's position is unchanged); on success the position moves past the header.
     *
     * @throws ProxyHeaderException FRONT-302 when the bytes are not a valid PROXY v2 header
     */
    public static Optional<ProxyV2Header> parse(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        for (int i = 0; i < Math.min(available, SIGNATURE.length); i++) {
            if (in.get(start + i) != SIGNATURE[i]) {
                throw malformed("signature mismatch at byte " + i);
            }
        }
        if (available < FIXED_LENGTH) {
            return Optional.empty();
        }
        int verCmd = in.get(start + 12) & 0xFF;
        int family = in.get(start + 13) & 0xFF;
        int length = in.getShort(start + 14) & 0xFFFF;
        if (verCmd != 0x21) {
            throw malformed("version/command byte 0x" + Integer.toHexString(verCmd) + ", expected 0x21 (v2 PROXY)");
        }
        int addressLength = switch (family) {
            case 0x11 -> 12;
            case 0x21 -> 36;
            default -> throw malformed("family 0x" + Integer.toHexString(family) + ", expected TCP over IPv4 or IPv6");
        };
        if (length < addressLength || FIXED_LENGTH + length > MAX_LENGTH) {
            throw malformed("length " + length + " outside " + addressLength + ".." + (MAX_LENGTH - FIXED_LENGTH));
        }
        if (available < FIXED_LENGTH + length) {
            return Optional.empty();
        }
        byte[] body = new byte[length];
        in.position(start + FIXED_LENGTH);
        in.get(body);
        int ipLength = addressLength == 12 ? 4 : 16;
        InetAddress src = address(body, 0, ipLength);
        InetAddress dst = address(body, ipLength, ipLength);
        int srcPort = ((body[2 * ipLength] & 0xFF) << 8) | (body[2 * ipLength + 1] & 0xFF);
        int dstPort = ((body[2 * ipLength + 2] & 0xFF) << 8) | (body[2 * ipLength + 3] & 0xFF);
        List<Tlv> tlvs = parseTlvs(body, addressLength, body.length);
        return Optional.of(new ProxyV2Header(new InetSocketAddress(src, srcPort), new InetSocketAddress(dst, dstPort), tlvs));
    }

    private static List<Tlv> parseTlvs(byte[] b, int from, int to) {
        List<Tlv> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (to - p < 3) {
                throw malformed("truncated TLV header at offset " + p);
            }
            int type = b[p] & 0xFF;
            int len = ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
            if (to - p - 3 < len) {
                throw malformed("TLV 0x" + Integer.toHexString(type) + " claims " + len + " bytes, " + (to - p - 3) + " left");
            }
            out.add(new Tlv(type, Arrays.copyOfRange(b, p + 3, p + 3 + len)));
            p += 3 + len;
        }
        return out;
    }

    private static InetAddress address(byte[] b, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + length));
        } catch (UnknownHostException e) {
            throw malformed("address of " + length + " bytes");
        }
    }

    private static ProxyHeaderException malformed(String why) {
        return new ProxyHeaderException(ProxyErrors.BAD_PROXY_HEADER, "PROXY v2 header: " + why);
    }
}
