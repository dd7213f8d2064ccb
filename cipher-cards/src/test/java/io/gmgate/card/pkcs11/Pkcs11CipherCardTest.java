package io.gmgate.card.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.error.ErrorCode;
import io.gmgate.testkit.SoftHsm;

/** The PKCS#11 card against a real SoftHSM2 token (docs/cipher-cards.md). */
class Pkcs11CipherCardTest {

    @TempDir
    static Path dir;

    static SoftHsm hsm;
    static long mainSlot;
    static long pinSlot;
    static long removalSlot;
    static Pkcs11CipherCard card;

    @BeforeAll
    static void tokens() throws Exception {
        hsm = SoftHsm.startIfInstalled(dir);
        if (hsm == null) {
            return;
        }
        mainSlot = hsm.initToken("main");
        pinSlot = hsm.initToken("never-logged-in");
        removalSlot = hsm.initToken("removal");
        card = Pkcs11CipherCard.open(settings("main", mainSlot));
        card.rotateKek(1);
    }

    @AfterAll
    static void closeCard() {
        if (card != null) {
            card.close();
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
    void aDataKeyWrappedUnderTheTokensKekUnwrapsToItself() {
        KekId kek = card.currentKek(1);
        byte[] dataKey = card.random(16);
        byte[] wrapped = card.wrap(kek, dataKey);
        assertArrayEquals(dataKey, card.unwrap(kek, wrapped));
        assertFalse(Arrays.equals(wrapped, card.wrap(kek, dataKey)), "each wrap draws a fresh nonce");
        assertTrue(card.keks().contains(kek));
    }

    @Test
    void everyFlippedByteOfAWrappedKeyIsKey023() {
        KekId kek = card.currentKek(1);
        byte[] wrapped = card.wrap(kek, card.random(16));
        for (int i = 0; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x01;
            assertCode(CardErrors.INTEGRITY, () -> card.unwrap(kek, tampered));
        }
        assertCode(CardErrors.INTEGRITY, () -> card.unwrap(kek, Arrays.copyOf(wrapped, 20)));
    }

    @Test
    void aMacVerifiesOnlyOverTheSameData() {
        KekId kek = card.currentKek(1);
        byte[] data = "audit record 17".getBytes(StandardCharsets.UTF_8);
        byte[] mac = card.mac(kek, data);
        assertEquals(32, mac.length);
        assertTrue(card.verifyMac(kek, data, mac));
        assertArrayEquals(mac, card.mac(kek, data), "the MAC is a function of key and data");
        assertFalse(card.verifyMac(kek, "audit record 18".getBytes(StandardCharsets.UTF_8), mac));
        byte[] flipped = mac.clone();
        flipped[31] ^= 1;
        assertFalse(card.verifyMac(kek, data, flipped));
    }

    @Test
    void rotationMakesANewCurrentVersionKeepsTheOldOneAndSurvivesReopening() {
        KekId v1 = card.rotateKek(2);
        assertEquals(new KekId(2, 1), v1, "the first rotation at a fresh index creates version 1");
        byte[] dataKey = card.random(16);
        byte[] underV1 = card.wrap(v1, dataKey);
        byte[] data = "chain link".getBytes(StandardCharsets.UTF_8);

        KekId v2 = card.rotateKek(2);
        assertEquals(new KekId(2, 2), v2);
        assertEquals(v2, card.currentKek(2));
        assertEquals(new KekId(1, 1), card.currentKek(1), "rotating index 2 leaves index 1 alone");
        assertArrayEquals(dataKey, card.unwrap(v1, underV1), "old versions stay until re-wrap is done");
        byte[] underV2 = card.wrap(v2, dataKey);
        assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v2, underV1));
        assertFalse(Arrays.equals(card.mac(v1, data), card.mac(v2, data)));

        // A second card (its own SunPKCS11 provider) finds the same KEKs on the token by their labels.
        try (Pkcs11CipherCard again = Pkcs11CipherCard.open(settings("main-again", mainSlot))) {
            assertTrue(again.keks().containsAll(List.of(new KekId(1, 1), v1, v2)), again.keks().toString());
            assertEquals(v2, again.currentKek(2));
            assertArrayEquals(dataKey, again.unwrap(v1, underV1));
            assertArrayEquals(dataKey, again.unwrap(v2, underV2));
            assertArrayEquals(card.mac(v2, data), again.mac(v2, data));
        }
        assertCode(CardErrors.NO_SUCH_KEY, () -> card.wrap(new KekId(2, 9), dataKey));
        assertCode(CardErrors.NO_SUCH_KEY, () -> card.currentKek(77));
    }

    @Test
    void theKeksAreTokenObjectsThatAreSensitiveAndNeverExtractable() throws Exception {
        Provider p = Security.getProvider("SunPKCS11").configure("--name = inspector\nlibrary = "
                + hsm.library() + "\nslot = " + mainSlot + "\n");
        KeyStore ks = KeyStore.getInstance("PKCS11", p);
        ks.load(null, SoftHsm.USER_PIN.toCharArray());
        for (String label : List.of("gmgate-kek-1-v1", "gmgate-mac-1-v1")) {
            Key key = ks.getKey(label, null);
            assertNull(key.getEncoded(), label + " must not reveal its value");
            assertTrue(key.toString().contains("token object, sensitive, unextractable"), key.toString());
        }
    }

    @Test
    void theAlgorithmReportNamesEachFallbackAndSm2AsUnsupported() {
        List<String> lines = card.algorithms().stream().map(CardAlgorithm::toString).toList();
        assertEquals(List.of(
                "RNG: the token's C_GenerateRandom [random]",
                "SM4: fallback AES-256-GCM in the token [KEK wrap]",
                "SM3: fallback HMAC-SHA256 in the token [MAC]",
                "SM2: unsupported by token (SunPKCS11 maps no SM2 mechanism; no software fallback) [sign/decrypt]"),
                lines, "SoftHSM2 2.6 offers no SM mechanism");
        CardHealth health = card.health();
        assertTrue(health.healthy(), health.detail());
        assertTrue(health.detail().contains("SM4: fallback AES-256-GCM"), health.detail());
        assertTrue(health.detail().contains("SM2: unsupported by token"), health.detail());
    }

    @Test
    void sm2OperationsFailWithKey025AndNeverFallBackToSoftware() {
        Sm2PrivateKey elsewhere = Sm2PrivateKey.generate();
        assertCode(CardErrors.UNSUPPORTED, () -> card.generateSm2Key(1));
        assertCode(CardErrors.UNSUPPORTED, () -> card.sm2PublicKey(1));
        assertCode(CardErrors.UNSUPPORTED, () -> card.sm2SignDigest(1, new byte[32]));
        assertCode(CardErrors.UNSUPPORTED, () -> card.sm2Decrypt(1, Sm2Cipher.encrypt(elsewhere.publicKey(), new byte[] {1})));
        CipherCardException e = assertThrows(CipherCardException.class, () -> card.sm2SignDigest(1, new byte[32]));
        assertTrue(e.getMessage().contains("no software fallback"), e.getMessage());
    }

    @Test
    void aWrongPinIsKey021AndTheRightOneThenOpensTheToken() {
        char[] wrong = "not-the-pin".toCharArray();
        assertCode(CardErrors.LOGIN_FAILED, () -> Pkcs11CipherCard.open(
                Pkcs11Settings.slot("wrong-pin", hsm.library(), pinSlot, wrong)));
        try (Pkcs11CipherCard right = Pkcs11CipherCard.open(settings("right-pin", pinSlot))) {
            assertTrue(right.keks().isEmpty(), "a fresh token holds no gmgate KEK");
            assertFalse(right.health().healthy(), "no KEK yet: readiness must not pass");
            assertEquals(new KekId(1, 1), right.rotateKek(1));
            assertTrue(right.health().healthy());
        }
    }

    @Test
    void aMissingModuleIsKey150AndAnUnknownSlotIsKey152() throws Exception {
        Path notAModule = java.nio.file.Files.writeString(dir.resolve("libnot-pkcs11.so"), "not an ELF file");
        assertCode(CardDeviceErrors.LIBRARY_MISSING, () -> Pkcs11CipherCard.open(Pkcs11Settings.slot("no-lib",
                dir.resolve("libvendor-pkcs11.so"), mainSlot, SoftHsm.USER_PIN.toCharArray())));
        assertCode(CardDeviceErrors.LIBRARY_MISSING, () -> Pkcs11CipherCard.open(Pkcs11Settings.slot("not-a-module",
                notAModule, mainSlot, SoftHsm.USER_PIN.toCharArray())));
        long absent = 4242;
        while (absent == mainSlot || absent == pinSlot || absent == removalSlot) {
            absent++;
        }
        long slot = absent;
        assertCode(CardDeviceErrors.NO_TOKEN, () -> Pkcs11CipherCard.open(settings("no-slot", slot)));
    }

    @Test
    void aTokenDeletedUnderARunningCardTurnsHealthDown() throws Exception {
        Pkcs11CipherCard doomed = Pkcs11CipherCard.open(settings("doomed", removalSlot));
        try {
            doomed.rotateKek(1);
            assertTrue(doomed.health().healthy());
            hsm.deleteToken("removal");
            CardHealth health = doomed.health();
            assertFalse(health.healthy(), "a card whose token vanished must fail readiness");
            assertTrue(health.detail().startsWith("KEY-0"), health.detail());
        } finally {
            doomed.close();
        }
        assertCode(CardErrors.UNAVAILABLE, () -> doomed.random(8));
        assertFalse(doomed.health().healthy());
    }

    @Test
    void thePinNeverShowsInSettingsOrCard() {
        Pkcs11Settings s = settings("main", mainSlot);
        assertFalse(s.toString().contains(SoftHsm.USER_PIN), s.toString());
        assertTrue(s.toString().contains("[redacted]"));
        assertFalse(card.toString().contains(SoftHsm.USER_PIN));
    }

    static void assertCode(ErrorCode expected, Executable call) {
        CipherCardException e = assertThrows(CipherCardException.class, call);
        assertEquals(expected, e.errorCode(), e.getMessage());
    }
}
