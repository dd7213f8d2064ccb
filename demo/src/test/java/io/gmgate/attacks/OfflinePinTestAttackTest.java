package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.PinMaskedShare;
import io.gmgate.crypto.twoparty.PinOprf;
import io.gmgate.sdk.CosignClient;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.Fields;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.StoredKey;

/**
 * docs/security.md, "The PIN and co-signing": with the stolen device store, the account password and any number of co-signing
 * answers (each gives P2 = [d2^-1]G), a PIN-only masked share was tested offline: unmask with a guess,
 * check [d1^-1]P2 − G == P. The test plays that attacker. Against a store as the code before the OPRF
 * wrote it (version 1, PIN-only) it finds the PIN — the control. Against the OPRF-masked store that the
 * SDK writes now, and that it rewrites the old store into at the next login, no guess fits, the right
 * PIN included: telling the right PIN from a wrong one needs the server's counted evaluation.
 */
class OfflinePinTestAttackTest {

    private static final char[] PASSWORD = "Offline-Passw0rd-1".toCharArray();
    private static final String ACCOUNT = "8300201";
    private static final char[] PIN = "314159".toCharArray();
    private static final char[] NEW_DEVICE_PIN = "271828".toCharArray();

    @TempDir
    static Path dir;

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    /** The attacker's dictionary: wrong PINs around the right one. */
    private static List<char[]> guesses(char[] right) {
        List<char[]> out = new ArrayList<>();
        for (String g : new String[] {"000000", "123456", "111111", "654321"}) {
            out.add(g.toCharArray());
        }
        out.add(right.clone());
        out.add("999999".toCharArray());
        return out;
    }

    /** P2 from several co-signing answers with k1 of the attacker's choosing; they all agree. */
    private static List<ECPoint> p2(CosignClient api, PinAttackKit.Key sign, int answers) {
        List<ECPoint> first = null;
        for (int i = 0; i < answers; i++) {
            List<ECPoint> c = PinAttackKit.p2FromSignAnswer(api, sign.keyId(), BigInteger.valueOf(1000 + i));
            if (first == null) {
                first = c;
            } else {
                assertTrue(c.stream().anyMatch(first::contains), "every answer gives the same P2");
            }
        }
        return first;
    }

    /** Every offline test the attacker has: PIN-only unmask, and an OPRF unmask with a key of his own. */
    private static List<String> fittingGuesses(DeviceRecord stolen, List<ECPoint> p2) {
        StoredKey sign = stolen.signKey().orElseThrow();
        BigInteger ownKey = Sm2Curve.randomScalar();
        List<String> fit = new ArrayList<>();
        for (char[] g : guesses(PIN)) {
            ClientKeyShare pinOnly = PinMaskedShare.unmask(sign.maskedShare(), sign.jointKey(), g, stolen.pinSalt(),
                    stolen.pinIterations(), stolen.maskContext("sign"));
            PinOprf.Blinded b = PinOprf.blind(g, stolen.oprfContext());
            ClientKeyShare withoutServer = PinMaskedShare.unmaskWithOprf(sign.maskedShare(), sign.jointKey(),
                    b.finish(PinOprf.evaluate(ownKey, b.request()), "sign")[0]);
            for (ECPoint candidate : p2) {
                if (PinAttackKit.fits(pinOnly, candidate, sign.jointKey())
                        || PinAttackKit.fits(withoutServer, candidate, sign.jointKey())) {
                    fit.add(new String(g));
                }
            }
        }
        return fit;
    }

    @Test
    void theStoreThePasswordAndManyAnswersGiveNoOfflinePinTest() throws Exception {
        site.addTrader(ACCOUNT, PASSWORD);
        GmgateClient victim = PinAttackKit.terminal(site, dir.resolve("desk-1"));
        victim.enroll(ACCOUNT, PASSWORD, "desk-1", PIN);

        // control: a store as the code before the OPRF wrote it (the new device's record is PIN-only
        // until its first login; written here in the version-1 file format)
        Path oldStore = dir.resolve("desk-2");
        try (GmgateClient.Session s = victim.login(PASSWORD, PIN)) {
            DeviceRecord added = s.addDevice("desk-2", NEW_DEVICE_PIN);
            assertEquals(DeviceRecord.Mask.PIN_ONLY, added.mask());
            LocalStore.open(oldStore).save(added);
        }
        Path file = oldStore.resolve("device.gms");
        Files.write(file, StoreVersion1.from(Files.readAllBytes(file)));
        DeviceRecord stolenOld = LocalStore.open(oldStore).require();
        assertEquals(DeviceRecord.Mask.PIN_ONLY, stolenOld.mask(), "read as a version-1 store");

        CosignClient attacker = PinAttackKit.rawApi(victim);
        Fields login = attacker.login(ACCOUNT, PASSWORD, "desk-2");
        List<ECPoint> p2Old = p2(attacker, PinAttackKit.Key.of(login, "SIGN"), 3);
        List<String> found = new ArrayList<>();
        for (char[] g : guesses(NEW_DEVICE_PIN)) {
            StoredKey k = stolenOld.signKey().orElseThrow();
            ClientKeyShare d1 = PinMaskedShare.unmask(k.maskedShare(), k.jointKey(), g, stolenOld.pinSalt(), stolenOld.pinIterations(),
                    stolenOld.maskContext("sign"));
            if (p2Old.stream().anyMatch(c -> PinAttackKit.fits(d1, c, k.jointKey()))) {
                found.add(new String(g));
            }
        }
        assertEquals(List.of(new String(NEW_DEVICE_PIN)), found, "the control: a PIN-only store falls offline");

        // the new device's first login re-masks its old store with the OPRF, atomically and 0600
        GmgateClient newDevice = PinAttackKit.terminal(site, oldStore);
        try (GmgateClient.Session s = newDevice.login(PASSWORD, NEW_DEVICE_PIN)) {
            byte[] order = "from the new device".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
        }
        DeviceRecord remasked = LocalStore.open(oldStore).require();
        assertEquals(DeviceRecord.Mask.OPRF, remasked.mask());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (GmgateClient.Session again = newDevice.login(PASSWORD, NEW_DEVICE_PIN)) {
            byte[] order = "again".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(again.signCertificate(), order, again.sign(order)));
            assertEquals(6, again.status().number("pinTriesLeft"),
                    "the re-masked store logs in, and the right PIN forgives the rounds counted before it");
        }

        // the attack on the OPRF stores: the enrolled one and the re-masked one
        List<ECPoint> p2New = p2(attacker, PinAttackKit.Key.of(login, "SIGN"), 3);
        assertEquals(List.of(), fittingGuesses(remasked, p2New), "no guess fits the re-masked store, not even the right PIN");
        CosignClient attacker1 = PinAttackKit.rawApi(victim);
        Fields login1 = attacker1.login(ACCOUNT, PASSWORD, "desk-1");
        DeviceRecord stolen = LocalStore.open(dir.resolve("desk-1")).require();
        assertEquals(DeviceRecord.Mask.OPRF, stolen.mask());
        assertEquals(List.of(), fittingGuesses(stolen, p2(attacker1, PinAttackKit.Key.of(login1, "SIGN"), 5)),
                "no guess fits the OPRF store, not even the right PIN");
        assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(new String(NEW_DEVICE_PIN)));
    }
}
