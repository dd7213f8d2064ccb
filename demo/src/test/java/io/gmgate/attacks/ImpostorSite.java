package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.sdk.CoSigner;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * A real demo site with two enrolled traders, the victim and the attacker, for the attacks on the
 * terminal's view of the gateway (docs/security.md "Gateway identity as the terminal sees it").
 */
final class ImpostorSite implements AutoCloseable {

    static final String VICTIM = "8007001";
    static final String ATTACKER = "8007666";
    static final char[] VICTIM_PASSWORD = "victim-Passw0rd-7001".toCharArray();
    static final char[] ATTACKER_PASSWORD = "attacker-Passw0rd".toCharArray();
    static final char[] PIN = "135790".toCharArray();

    final DemoSite site;

    ImpostorSite() throws IOException {
        site = new DemoSite();
        site.addTrader(VICTIM, VICTIM_PASSWORD);
        site.addTrader(ATTACKER, ATTACKER_PASSWORD);
        client(VICTIM, site.enrolmentPort()).enroll(VICTIM, VICTIM_PASSWORD, "desk", PIN);
        client(ATTACKER, site.enrolmentPort()).enroll(ATTACKER, ATTACKER_PASSWORD, "laptop", PIN);
    }

    /** The trader's terminal, its cosign calls going to {@code enrolmentPort} on 127.0.0.1 (the real one or an impostor's). */
    GmgateClient client(String account, int enrolmentPort) {
        return new GmgateClient(options(account, enrolmentPort));
    }

    GmgateClient.Options options(String account, int enrolmentPort) {
        return new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", enrolmentPort)),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("store-" + account), Duration.ofSeconds(3), Duration.ofSeconds(10), 20_000);
    }

    List<X509CertificateHolder> caChain() {
        return site.ca().chain();
    }

    /**
     * The attacker's own sign key as his terminal can use it: every signature co-signed by the real
     * cosign service over his logged-in session (what the SDK does for his CertificateVerify).
     */
    static Sm2SignKey coSigned(GmgateClient.Session session) {
        CoSigner signer;
        try {
            Field f = GmgateClient.Session.class.getDeclaredField("signer");
            f.setAccessible(true);
            signer = (CoSigner) f.get(session);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the SDK's session no longer keeps its co-signer in 'signer'", e);
        }
        return new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return signer.publicKey();
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                return signer.signDigest(e);
            }
        };
    }

    /** The attacker's encryption key through co-decryption over his session. */
    static Sm2Decryptor coDecrypting(GmgateClient.Session session, Sm2PublicKey encKey) {
        return new Sm2Decryptor() {
            @Override
            public Sm2PublicKey publicKey() {
                return encKey;
            }

            @Override
            public byte[] decrypt(io.gmgate.crypto.Sm2Ciphertext ciphertext) {
                return session.decrypt(ciphertext);
            }
        };
    }

    /** The node keeps serving: the victim, with the real endpoints, logs in and trades as herself. */
    void victimStillTrades() throws IOException {
        GmgateClient real = client(VICTIM, site.enrolmentPort());
        try (GmgateClient.Session session = real.login(VICTIM_PASSWORD, PIN); TlcpSocket s = session.connect()) {
            s.getOutputStream().write(("LOGIN " + VICTIM + "\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("OK LOGIN " + VICTIM, answer);
        }
    }

    @Override
    public void close() throws Exception {
        site.close();
    }
}
