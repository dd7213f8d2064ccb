package io.gmgate.card.sdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.error.ErrorCode;

/** The SDF card over the shipped soft-sdf development device, found through the ServiceLoader. */
class SdfCipherCardTest {

    private static final String PASSPHRASE = "device passphrase 1";

    @TempDir
    static Path dir;

    static Path deviceFile;
    static Sm2PublicKey deviceSm2Key;
    static SdfCipherCard card;

    /** The "vendor tool" of soft-sdf is the soft card: it creates device KEKs 1..3 and the SM2 pair at index 7. */
    @BeforeAll
    static void device() {
        deviceFile = dir.resolve("device.card");
        try (SoftCipherCard tool = SoftCipherCard.init(deviceFile, PASSPHRASE.toCharArray())) {
            tool.rotateKek(2);
            tool.rotateKek(3);
            deviceSm2Key = tool.generateSm2Key(7);
        }
        card = SdfCipherCard.open(settings(PASSPHRASE, List.of(SdfKekSlot.parse("1:1=1/2"), SdfKekSlot.parse("1:2=3"))));
    }

    @AfterAll
    static void close() {
        if (card != null) {
            card.close();
        }
    }

    static SdfSettings settings(String password, List<SdfKekSlot> keks) {
        return SdfSettings.of("dev", SoftSdfLibrary.NAME, Map.of("file", deviceFile.toString()), password.toCharArray(), keks);
    }

    @Test
    void theLoaderFindsALibraryByItsNameAndListsWhatItFoundOtherwise() {
        assertTrue(SdfLibraries.load("soft-sdf") instanceof SoftSdfLibrary);
        assertTrue(SdfLibraries.available().contains("soft-sdf"), SdfLibraries.available().toString());
        CipherCardException e = assertThrows(CipherCardException.class, () -> SdfLibraries.load("vendor-x"));
        assertEquals(CardDeviceErrors.LIBRARY_MISSING, e.errorCode());
        assertTrue(e.getMessage().contains("found: [soft-sdf]"), e.getMessage());
        assertCode(CardDeviceErrors.LIBRARY_MISSING, () -> SdfCipherCard.open(SdfSettings.of("x", "vendor-x", Map.of(),
                new char[0], List.of())));
    }

    @Test
    void aWrappedKeyRoundTripsAndEveryFlippedByteOrAnotherKekVersionIsKey023() {
        KekId v1 = new KekId(1, 1);
        KekId v2 = new KekId(1, 2);
        byte[] dataKey = card.random(16);
        byte[] wrapped = card.wrap(v1, dataKey);
        assertArrayEquals(dataKey, card.unwrap(v1, wrapped));
        for (int i = 0; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x40;
            assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v1, tampered));
        }
        assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v2, wrapped));
        assertCode(CardErrors.INTEGRITY, () -> card.unwrap(v1, Arrays.copyOf(wrapped, 3)));
        assertArrayEquals(dataKey, card.unwrap(v2, card.wrap(v2, dataKey)));
    }

    @Test
    void aMacVerifiesOnlyOverTheSameDataAndDiffersPerKekVersion() {
        byte[] data = "audit link".getBytes(StandardCharsets.UTF_8);
        byte[] mac = card.mac(new KekId(1, 1), data);
        assertTrue(card.verifyMac(new KekId(1, 1), data, mac));
        assertFalse(card.verifyMac(new KekId(1, 1), "audit link!".getBytes(StandardCharsets.UTF_8), mac));
        assertFalse(card.verifyMac(new KekId(1, 2), data, mac));
    }

    @Test
    void keksAreTheDeclaredSlotsAndCreatingKeysIsTheVendorToolsJob() {
        assertEquals(List.of(new KekId(1, 1), new KekId(1, 2)), card.keks());
        assertEquals(new KekId(1, 2), card.currentKek(1));
        assertCode(CardErrors.NO_SUCH_KEY, () -> card.currentKek(2));
        assertCode(CardErrors.NO_SUCH_KEY, () -> card.wrap(new KekId(1, 3), new byte[16]));
        CipherCardException rotate = assertThrows(CipherCardException.class, () -> card.rotateKek(1));
        assertEquals(CardErrors.UNSUPPORTED, rotate.errorCode());
        assertTrue(rotate.getMessage().contains("declare it as 1:3="), rotate.getMessage());
        assertCode(CardErrors.UNSUPPORTED, () -> card.generateSm2Key(8));
    }

    @Test
    void theDevicesInternalSm2KeySignsAndDecrypts() {
        assertEquals(deviceSm2Key, card.sm2PublicKey(7));
        byte[] message = "order 42: buy 3 IF2406".getBytes(StandardCharsets.UTF_8);
        BigInteger e = Sm2Signer.e(deviceSm2Key, Sm2Signer.defaultId(), message);
        Sm2Signature signature = card.sm2SignDigest(7, toBytes32(e));
        assertTrue(Sm2Signer.verify(deviceSm2Key, message, signature));
        assertArrayEquals(message, card.sm2Decrypt(7, Sm2Cipher.encrypt(deviceSm2Key, message)));
        assertCode(CardErrors.NO_SUCH_KEY, () -> card.sm2SignDigest(9, new byte[32]));
    }

    @Test
    void aWrongPasswordIsKey021AMissingDeviceKey020AndAnUndeclaredKeyIndexKey022() {
        assertCode(CardErrors.LOGIN_FAILED, () -> SdfCipherCard.open(settings("wrong passphrase", List.of())));
        assertCode(CardErrors.UNAVAILABLE, () -> SdfCipherCard.open(SdfSettings.of("gone", SoftSdfLibrary.NAME,
                Map.of("file", dir.resolve("no-such.card").toString()), PASSPHRASE.toCharArray(), List.of())));
        assertCode(CardErrors.NO_SUCH_KEY, () -> SdfCipherCard.open(settings(PASSPHRASE, List.of(SdfKekSlot.parse("1:1=9")))));
        assertCode(CardDeviceErrors.BAD_SETTINGS, () -> SdfKekSlot.parse("one"));
        assertCode(CardDeviceErrors.BAD_SETTINGS, () -> settings(PASSPHRASE, List.of(SdfKekSlot.parse("1:1=1"), SdfKekSlot.parse("1:1=2"))));
    }

    @Test
    void healthAndTheAlgorithmReportComeFromTheDevice() {
        assertTrue(card.health().healthy(), card.health().detail());
        assertTrue(card.health().detail().contains("soft-sdf development device"));
        List<String> lines = card.algorithms().stream().map(CardAlgorithm::toString).toList();
        assertTrue(lines.contains("SM2: SM2 in software (soft-sdf) [sign/decrypt]"), lines.toString());
        assertTrue(card.algorithms().stream().allMatch(a -> a.support() == CardAlgorithm.Support.NATIVE));

        SdfCipherCard closed = SdfCipherCard.open(settings(PASSPHRASE, List.of(SdfKekSlot.parse("1:1=1/2"))));
        closed.close();
        assertFalse(closed.health().healthy());
        assertCode(CardErrors.UNAVAILABLE, () -> closed.random(4));
    }

    @Test
    void concurrentCallersShareTheSessionPool() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(callers.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        byte[] key = card.random(16);
                        if (!Arrays.equals(key, card.unwrap(new KekId(1, 2), card.wrap(new KekId(1, 2), key)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void thePasswordNeverShowsInTheSettings() {
        String text = settings(PASSPHRASE, List.of()).toString();
        assertFalse(text.contains(PASSPHRASE), text);
        assertTrue(text.contains("password=[redacted]"), text);
    }

    private static byte[] toBytes32(BigInteger e) {
        byte[] raw = e.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    static void assertCode(ErrorCode expected, Executable call) {
        CipherCardException e = assertThrows(CipherCardException.class, call);
        assertEquals(expected, e.errorCode(), e.getMessage());
    }
}
