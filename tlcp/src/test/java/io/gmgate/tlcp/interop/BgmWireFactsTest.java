package io.gmgate.tlcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.tlcp.interop.BgmPeer.ClientAuth;
import io.gmgate.tlcp.interop.RecordingRelay.HandshakeMessage;

/**
 * What BGMProvider 1.1.4 puts on the wire for TLCP, read through a recording relay between a BGM
 * client and a BGM server with client authentication. These are the forms our engine must accept
 * from it and send to it; if a BGMProvider upgrade changes one, this test says which.
 */
class BgmWireFactsTest {

    private static final int CLIENT_HELLO = 1, SERVER_HELLO = 2, CERTIFICATE = 11, SERVER_KEY_EXCHANGE = 12,
            CERTIFICATE_REQUEST = 13, SERVER_HELLO_DONE = 14, CERTIFICATE_VERIFY = 15, CLIENT_KEY_EXCHANGE = 16;

    private static TestPki pki;
    private static TestPki.DoubleCert server;
    private static TestPki.DoubleCert client;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("wire");
        server = pki.issueDouble("localhost");
        client = pki.issueDouble("trader");
    }

    @ParameterizedTest(name = "{0} with client authentication")
    @ValueSource(strings = {"ECC_SM4_CBC_SM3", "ECC_SM4_GCM_SM3", "ECDHE_SM4_CBC_SM3", "ECDHE_SM4_GCM_SM3"})
    void wireForms(String suite) throws Exception {
        byte[] c;
        byte[] s;
        try (BgmPeer.Server bgm = BgmPeer.server(suite, ClientAuth.NEED, server, pki.rootCertificate());
             RecordingRelay relay = new RecordingRelay(bgm.port())) {
            BgmPeer.echo(relay.port(), suite, client, pki.rootCertificate(), "x".getBytes(StandardCharsets.US_ASCII));
            assertTrue(bgm.awaitFirst());
            c = relay.clientBytes();
            s = relay.serverBytes();
        }
        boolean ecdhe = suite.startsWith("ECDHE");
        // Every record of both sides carries version 0x0101 (GB/T 38636-2020 §6.3.3.1).
        assertTrue(RecordingRelay.recordVersions(c).stream().allMatch(v -> v == 0x0101));
        assertTrue(RecordingRelay.recordVersions(s).stream().allMatch(v -> v == 0x0101));

        List<HandshakeMessage> cm = RecordingRelay.handshakeMessages(c);
        List<HandshakeMessage> sm = RecordingRelay.handshakeMessages(s);
        assertEquals(List.of(CLIENT_HELLO, CERTIFICATE, CLIENT_KEY_EXCHANGE, CERTIFICATE_VERIFY), types(cm));
        assertEquals(List.of(SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE, CERTIFICATE_REQUEST, SERVER_HELLO_DONE),
                types(sm));

        // ClientHello: 0x0101, no session ID, only the chosen suite, null compression, and two
        // extensions: supported_groups [0x00F9] and renegotiation_info (empty).
        byte[] hello = cm.get(0).body();
        assertEquals(0x0101, u16(hello, 0));
        assertEquals(0, hello[34]);
        assertArrayEquals(HexFormat.of().parseHex("0002" + suiteHex(suite) + "0100" + "000d" + "000a00040002" + "00f9"
                + "ff01000100"), Arrays.copyOfRange(hello, 35, hello.length));

        // ServerHello: a 32-byte session ID and only renegotiation_info.
        byte[] sh = sm.get(0).body();
        assertEquals(32, sh[34]);
        assertEquals("ff01000100", HexFormat.of().formatHex(Arrays.copyOfRange(sh, sh.length - 5, sh.length)));

        // Server Certificate: sign certificate, then encryption certificate, then the CA (§6.4.5.3).
        List<X509CertificateHolder> serverChain = certificates(sm.get(1).body());
        assertEquals(List.of(server.sign().certificate(), server.enc().certificate(), pki.rootCertificate()), serverChain);
        // Client Certificate: the same order, sign + enc + CA.
        assertEquals(List.of(client.sign().certificate(), client.enc().certificate(), pki.rootCertificate()),
                certificates(cm.get(1).body()));

        byte[] ske = sm.get(2).body();
        byte[] cke = cm.get(2).body();
        if (ecdhe) {
            // ServerKeyExchange: ECParameters named_curve 0x00F9, point<1..255>, then signature<2>.
            assertEquals("0300f941", HexFormat.of().formatHex(ske, 0, 4));
            assertEquals(4 + 65 + 2 + u16(ske, 4 + 65), ske.length);
            // ClientKeyExchange: ECParameters + point with NO outer 2-byte length (the Tongsuo form,
            // design §13), 69 bytes.
            assertEquals("0300f941", HexFormat.of().formatHex(cke, 0, 4));
            assertEquals(69, cke.length);
        } else {
            // ServerKeyExchange: signature<2> only: a DER SM2 signature.
            assertEquals(2 + u16(ske, 0), ske.length);
            assertEquals(0x30, ske[2]);
            // ClientKeyExchange: ECCEncryptedPreMasterSecret<2>: the DER SM2 ciphertext
            // SEQUENCE { x, y, hash[32], ciphertext[48] } of GM/T 0009 (C1C3C2 order).
            assertEquals(2 + u16(cke, 0), cke.length);
            ASN1Sequence ct = ASN1Sequence.getInstance(Arrays.copyOfRange(cke, 2, cke.length));
            assertEquals(4, ct.size());
        }
        // CertificateRequest: types [ecdsa_sign(64), rsa_sign(1), dss_sign(2)], no signature
        // algorithms list (TLS 1.1 layout), then the CA names.
        byte[] cr = sm.get(3).body();
        assertEquals("03400102", HexFormat.of().formatHex(cr, 0, 4));
        assertEquals(4 + 2 + u16(cr, 4), cr.length);
        // CertificateVerify: signature<2>, DER, no algorithm identifier.
        byte[] cv = cm.get(3).body();
        assertEquals(2 + u16(cv, 0), cv.length);
        assertEquals(0x30, cv[2]);
        // ...and what it signs: SM2 (default ID) over SM3(handshake_messages), i.e. the message
        // is the 32-byte hash, not the messages themselves (GB/T 38636-2020 §6.4.5.9 read as
        // "sign the hash", like TLS 1.1's CertificateVerify).
        byte[] transcript = concat(cm.get(0), sm.get(0), sm.get(1), sm.get(2), sm.get(3), sm.get(4), cm.get(1), cm.get(2));
        Sm2Signature sig = Sm2Signature.fromDer(Arrays.copyOfRange(cv, 2, cv.length));
        Sm2PublicKey clientKey = client.sign().key().publicKey();
        assertTrue(Sm2Signer.verify(clientKey, Sm3.digest(transcript), sig), "signs SM3(handshake_messages)");
        assertFalse(Sm2Signer.verify(clientKey, transcript, sig), "does not sign the raw handshake messages");
    }

    /** Handshake messages with their 4-byte headers, as the transcript holds them. */
    private static byte[] concat(HandshakeMessage... ms) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (HandshakeMessage m : ms) {
            int n = m.body().length;
            out.writeBytes(new byte[] {(byte) m.type(), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            out.writeBytes(m.body());
        }
        return out.toByteArray();
    }

    private static String suiteHex(String suite) {
        return switch (suite) {
            case "ECC_SM4_CBC_SM3" -> "e013";
            case "ECC_SM4_GCM_SM3" -> "e053";
            case "ECDHE_SM4_CBC_SM3" -> "e011";
            case "ECDHE_SM4_GCM_SM3" -> "e051";
            default -> throw new IllegalArgumentException(suite);
        };
    }

    private static List<Integer> types(List<HandshakeMessage> ms) {
        return ms.stream().map(HandshakeMessage::type).toList();
    }

    private static List<X509CertificateHolder> certificates(byte[] body) throws IOException {
        int total = u24(body, 0);
        assertEquals(body.length, 3 + total);
        List<X509CertificateHolder> out = new ArrayList<>();
        for (int p = 3; p < body.length; ) {
            int len = u24(body, p);
            out.add(new X509CertificateHolder(Arrays.copyOfRange(body, p + 3, p + 3 + len)));
            p += 3 + len;
        }
        return out;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }

    private static int u24(byte[] b, int i) {
        return (b[i] & 0xFF) << 16 | u16(b, i + 1);
    }
}
