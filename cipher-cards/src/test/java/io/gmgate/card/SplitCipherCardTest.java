package io.gmgate.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.card.pkcs11.Pkcs11CipherCard;
import io.gmgate.card.pkcs11.Pkcs11Settings;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.error.ErrorCode;
import io.gmgate.testkit.SoftHsm;

/** KEKs on a real SoftHSM2 token, SM2 keys on a soft card: each operation reaches its own card. */
class SplitCipherCardTest {

    private static final char[] PASSPHRASE = "split card passphrase".toCharArray();

    @TempDir
    static Path dir;

    static SoftHsm hsm;
    static long mainSlot;
    static long removalSlot;
    static Pkcs11CipherCard token;
    static SoftCipherCard soft;
    static SplitCipherCard split;

    @BeforeAll
    static void cards() throws Exception {
        hsm = SoftHsm.startIfInstalled(dir);
        if (hsm == null) {
            return;
        }
        mainSlot = hsm.initToken("split-keks");
        removalSlot = hsm.initToken("split-removal");
        token = Pkcs11CipherCard.open(settings("keks", mainSlot));
        token.rotateKek(1);
        token.rotateKek(1); // the token's current KEK 1 is v2, the soft card's v1: a wrap shows where it ran
        soft = SoftCipherCard.init(dir.resolve("sm2.gmc"), PASSPHRASE);
        split = SplitCipherCard.of(token, soft);
    }

    @AfterAll
    static void close() {
        if (split != null) {
            split.close();
        }
    }

    static Pkcs11Settings settings(String name, long slot) {
        return Pkcs11Settings.slot(name, hsm.library(), slot, SoftHsm.USER_PIN.toCharArray());
    }

    @BeforeEach
    void softHsmInstalled() {
        SoftHsm.assumeInstalled(hsm);
    }

    @Test
    void keksWrapsAndMacsAreTheTokens() {
        assertEquals(new KekId(1, 2), split.currentKek(1));
        assertEquals(token.keks(), split.keks());
        byte[] dataKey = split.random(16);
        byte[] wrapped = split.wrap(split.currentKek(1), dataKey);
        assertArrayEquals(dataKey, token.unwrap(new KekId(1, 2), wrapped), "the token unwraps what the split card wrapped");
        assertCode(CardErrors.NO_SUCH_KEY, () -> soft.unwrap(new KekId(1, 2), wrapped));
        assertArrayEquals(dataKey, split.unwrap(new KekId(1, 2), token.wrap(new KekId(1, 2), dataKey)));

        byte[] data = "audit link".getBytes(StandardCharsets.UTF_8);
        byte[] mac = split.mac(new KekId(1, 1), data);
        assertArrayEquals(token.mac(new KekId(1, 1), data), mac);
        assertFalse(java.util.Arrays.equals(soft.mac(new KekId(1, 1), data), mac), "not the soft card's KEK 1");
        assertTrue(split.verifyMac(new KekId(1, 1), data, mac));
    }

    @Test
    void rotationHappensOnTheToken() {
        KekId created = split.rotateKek(5);
        assertEquals(new KekId(5, 1), created);
        assertTrue(token.keks().contains(created));
        assertFalse(soft.keks().contains(created));
    }

    @Test
    void sm2KeysAreMadeAndUsedOnTheSoftCard() {
        Sm2PublicKey generated = split.generateSm2Key(101);
        assertEquals(generated, soft.sm2PublicKey(101), "the key lives on the soft card");
        assertEquals(generated, split.sm2PublicKey(101));
        assertCode(CardErrors.UNSUPPORTED, () -> token.sm2PublicKey(101));
        assertCode(CardErrors.KEY_EXISTS, () -> split.generateSm2Key(101));

        byte[] message = "ClientHello..ServerKeyExchange".getBytes(StandardCharsets.UTF_8);
        BigInteger e = Sm2Signer.e(generated, Sm2Signer.defaultId(), message);
        Sm2Signature signature = split.sm2SignDigest(101, toBytes32(e));
        assertTrue(Sm2Signer.verify(generated, message, signature));

        byte[] premaster = split.random(48);
        assertArrayEquals(premaster, split.sm2Decrypt(101, Sm2Cipher.encrypt(generated, premaster)));
    }

    @Test
    void theAlgorithmReportNamesWhichCardDoesWhat() {
        List<String> lines = split.algorithms().stream().map(CardAlgorithm::toString).toList();
        assertEquals(List.of(
                "RNG: the token's C_GenerateRandom (card pkcs11:keks) [random]",
                "SM4: fallback AES-256-GCM in the token (card pkcs11:keks) [KEK wrap]",
                "SM3: fallback HMAC-SHA256 in the token (card pkcs11:keks) [MAC]",
                "SM2: SM2 in software (card " + soft.name() + ") [sign/decrypt/key exchange]"), lines);
        CardHealth health = split.health();
        assertTrue(health.healthy(), health.detail());
        assertEquals(split.name(), health.card());
        assertTrue(health.detail().contains("KEK card pkcs11:keks: ok"), health.detail());
        assertTrue(health.detail().contains("SM2 card " + soft.name() + ": ok"), health.detail());
    }

    @Test
    void aTokenWithoutSm2CannotBeTheSm2Card() throws Exception {
        SoftCipherCard other = SoftCipherCard.init(dir.resolve("other.gmc"), PASSPHRASE);
        try {
            CipherCardException e = assertThrows(CipherCardException.class, () -> SplitCipherCard.of(other, token));
            assertEquals(CardErrors.UNSUPPORTED, e.errorCode());
            assertTrue(e.getMessage().contains("SM2: unsupported by token"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void healthIsDownWhenEitherCardIsAndSaysWhich() throws Exception {
        SoftCipherCard sm2 = SoftCipherCard.init(dir.resolve("doomed-sm2.gmc"), PASSPHRASE);
        SplitCipherCard doomed = SplitCipherCard.of(Pkcs11CipherCard.open(settings("doomed", removalSlot)), sm2);
        try {
            doomed.rotateKek(1);
            assertTrue(doomed.health().healthy(), doomed.health().detail());

            sm2.close();
            CardHealth sm2Down = doomed.health();
            assertFalse(sm2Down.healthy());
            assertTrue(sm2Down.detail().startsWith("the SM2 card " + sm2.name() + " is down"), sm2Down.detail());
            assertEquals(new KekId(1, 1), doomed.currentKek(1), "the token still serves KEKs");
            assertEquals(16, doomed.random(16).length, "random numbers come from the token, not the closed soft card");

            hsm.deleteToken("split-removal");
            CardHealth bothDown = doomed.health();
            assertFalse(bothDown.healthy());
            assertTrue(bothDown.detail().startsWith("both cards are down"), bothDown.detail());
        } finally {
            doomed.close();
        }
        assertCode(CardErrors.UNAVAILABLE, () -> doomed.random(8));
    }

    @Test
    void aClosedTokenTurnsHealthDownNamingTheKekCardWhileSm2StillAnswers() throws Exception {
        SoftCipherCard sm2 = SoftCipherCard.init(dir.resolve("half.gmc"), PASSPHRASE);
        Sm2PublicKey key = sm2.generateSm2Key(102);
        Pkcs11CipherCard closedToken = Pkcs11CipherCard.open(settings("closed", mainSlot));
        closedToken.close();
        try (SplitCipherCard halfDown = SplitCipherCard.of(closedToken, sm2)) {
            CardHealth health = halfDown.health();
            assertFalse(health.healthy());
            assertTrue(health.detail().startsWith("the KEK card pkcs11:closed is down"), health.detail());
            assertCode(CardErrors.UNAVAILABLE, () -> halfDown.wrap(new KekId(1, 1), new byte[16]));
            assertEquals(key, halfDown.sm2PublicKey(102), "SM2 still answers from the soft card");
        }
    }

    private static byte[] toBytes32(BigInteger e) {
        byte[] raw = e.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static void assertCode(ErrorCode expected, Executable call) {
        CipherCardException e = assertThrows(CipherCardException.class, call);
        assertEquals(expected, e.errorCode(), e.getMessage());
    }
}
