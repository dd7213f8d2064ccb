package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.CosignClient;
import io.gmgate.sdk.Fields;
import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "The PIN and co-signing": with the account password only, an attacker forged "confirmations" of his own
 * signing attempts (SM2 over a chosen digest is existentially forgeable from P), so 20 wrong PINs
 * never locked the key and {@code pinProven} opened co-decryption and devices/add. Now a confirmation
 * must carry the r of the attempt's own co-signing round: every forgery is refused (COSIGN-147) and
 * counted, the key locks within six tries (COSIGN-141), and the node still serves other traders.
 */
class ForgedPinConfirmationAttackTest {

    private static final char[] PIN = "246135".toCharArray();

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

    private static GmgateClient enrolled(String account, char[] password) {
        site.addTrader(account, password);
        GmgateClient c = PinAttackKit.terminal(site, dir.resolve(account));
        c.enroll(account, password, "desk", PIN);
        return c;
    }

    @Test
    void twentyForgedConfirmationsAreRefusedCountedAndLockTheKeyWithinSixTries() {
        char[] password = "Victim-Passw0rd-1".toCharArray();
        GmgateClient victim = enrolled("8300001", password);

        CosignClient attacker = PinAttackKit.rawApi(victim);
        Fields login = attacker.login("8300001", password, "desk");
        PinAttackKit.Key sign = PinAttackKit.Key.of(login, "SIGN");
        PinAttackKit.Key enc = PinAttackKit.Key.of(login, "ENC");

        int tries = 0;
        GmgateException locked = null;
        for (int round = 1; round <= 20 && locked == null; round++) {
            PinAttackKit.Forgery f = PinAttackKit.Forgery.of(sign.publicKey());
            SignRequest req = new SignRequest(Sm2Curve.multiplyG(Sm2Curve.randomScalar()), f.e());
            Fields answer;
            try {
                answer = attacker.call("sign", Map.of("keyId", sign.keyId(), "request", PinAttackKit.b64(req.toBytes())));
                tries++;
            } catch (GmgateException e) {
                locked = e;
                break;
            }
            Map<String, Object> confirm = new LinkedHashMap<>();
            confirm.put("attempt", answer.string("attempt"));
            confirm.put("signature", PinAttackKit.b64(f.signature().toRaw()));
            GmgateException refused = assertThrows(GmgateException.class,
                    () -> attacker.call("sign/confirm", Map.of("confirm", confirm)), "round " + round + ": a forgery confirmed");
            assertEquals("COSIGN-147", refused.errorCode().code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("counted"), refused.getMessage());
        }
        assertNotNull(locked, "20 forged rounds never locked the key");
        assertEquals("COSIGN-141", locked.errorCode().code(), locked.getMessage());
        assertTrue(tries <= 6, tries + " rounds answered before the lock");

        Fields status = attacker.call("status", Map.of());
        assertFalse(status.bool("pinProven"));
        assertEquals(0, status.number("pinTriesLeft"));
        GmgateException decrypt = assertThrows(GmgateException.class, () -> attacker.call("decrypt", Map.of("keyId", enc.keyId(),
                "request", PinAttackKit.b64(Sm2Curve.encodePoint(Sm2Curve.multiplyG(Sm2Curve.randomScalar()))))));
        assertTrue(Set.of("COSIGN-141", "COSIGN-148").contains(decrypt.errorCode().code()), decrypt.getMessage());
        GmgateException add = assertThrows(GmgateException.class, () -> attacker.call("devices/add", Map.of(
                "idempotencyKey", java.util.UUID.randomUUID().toString(), "newDevice", "thief-pc",
                "sign", PinAttackKit.b64(Sm2Curve.encodeScalar(Sm2Curve.randomScalar())),
                "enc", PinAttackKit.b64(Sm2Curve.encodeScalar(Sm2Curve.randomScalar())))));
        assertTrue(Set.of("COSIGN-141", "COSIGN-148").contains(add.errorCode().code()), add.getMessage());

        // the node still serves a legitimate trader
        GmgateClient other = enrolled("8300002", "Other-Passw0rd-2".toCharArray());
        try (GmgateClient.Session s = other.login("Other-Passw0rd-2".toCharArray(), PIN)) {
            byte[] order = "BUY 1 after the attack".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
            assertEquals(6, s.status().number("pinTriesLeft"));
        }
    }
}
