package io.gmgate.tlcp.tls13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth;

/** The server's CertificateVerify signature: the RFC 8998 user ID, and a key that lives in a cipher card. */
class Tls13SigningTest {

    private static final Tls13Fixtures F = new Tls13Fixtures();

    @TempDir
    Path dir;

    /** RFC 8998 §3.2.1: the SM2 ID is "TLSv1.3+GM+Cipher+Suite", not GM/T 0009's 1234567812345678. */
    @Test
    void signaturesUseTheRfc8998Id() throws IOException {
        Tls13Credentials creds = Tls13Fixtures.credentials(F.server);
        Tls13Signer signer = new Tls13Signer(Tls13Certificates.toTls(new BcTlsCrypto(), creds.chain()), creds.key());
        byte[] message = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
        TlsStreamSigner s = signer.getStreamSigner();
        s.getOutputStream().write(message);
        Sm2Signature sig = Sm2Signature.fromDer(s.getSignature());
        Sm2PublicKey pub = F.server.key().publicKey();
        assertTrue(Sm2Signer.verify(pub, "TLSv1.3+GM+Cipher+Suite".getBytes(StandardCharsets.US_ASCII), message, sig));
        assertFalse(Sm2Signer.verify(pub, message, sig), "must not verify under the default ID");
    }

    @Test
    void serverKeyInASoftwareCipherCard() {
        try (SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "card pass".toCharArray())) {
            Sm2PublicKey pub = card.generateSm2Key(5);
            Sm2SignKey key = Sm2SignKey.onCard(card, 5);
            Tls13Credentials creds = new Tls13Credentials(List.of(F.pki.issueSignFor("localhost", pub)), key);
            assertTrue(key.toString().contains("#5"), key.toString());
            Tls13Engine server = Tls13Engine.server("card-srv", new Tls13ServerConfig(creds,
                    List.of(F.pki.rootCertificate()), ClientAuth.REQUIRED, Clock.systemUTC(), Tls13Fixtures.RANDOM));
            Tls13Engine client = Tls13Engine.client("cli", F.clientConfig(true));
            Tls13Fixtures.pump(client, server, 16384, 20);
            assertTrue(client.isHandshakeComplete() && server.isHandshakeComplete());
            assertEquals(creds.leaf(), client.peerCertificates().get(0));
        }
    }
}
