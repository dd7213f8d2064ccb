package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.KeyState;
import io.gmgate.sdk.CosignClient;
import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "The PIN and co-signing": /v1/pin/reset/finish re-shared (and destroyed) a device's keys without checking that
 * /v1/pin/reset/start — the identity re-check — ran. Now it needs a start in the same session within 15
 * minutes (COSIGN-157), even for a session whose PIN is proven, and a start in another session does not
 * count; the keys stay as they were.
 */
class PinResetWithoutStartAttackTest {

    private static final char[] PIN = "864213".toCharArray();
    private static final char[] PASSWORD = "Reset-Passw0rd-1".toCharArray();

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

    @Test
    void finishWithoutStartIsRefusedAndTheKeysSurvive() {
        site.addTrader("8300101", PASSWORD);
        GmgateClient trader = PinAttackKit.terminal(site, dir.resolve("trader"));
        trader.enroll("8300101", PASSWORD, "desk", PIN);
        Map<String, Object> finish = new LinkedHashMap<>();
        try (GmgateClient.Session s = trader.login(PASSWORD, PIN)) {
            s.sign("prove the PIN".getBytes(StandardCharsets.US_ASCII));
            var login = s.loginAnswer();
            finish.put("signKeyId", PinAttackKit.Key.of(login, "SIGN").keyId());
            finish.put("encKeyId", PinAttackKit.Key.of(login, "ENC").keyId());
            finish.put("sign", PinAttackKit.b64(Sm2Curve.encodeScalar(Sm2Curve.randomScalar())));
            finish.put("enc", PinAttackKit.b64(Sm2Curve.encodeScalar(Sm2Curve.randomScalar())));
            GmgateException refused = assertThrows(GmgateException.class, () -> s.cosign().callProven("pin/reset/finish", finish));
            assertEquals("COSIGN-157", refused.errorCode().code(), refused.getMessage());

            // a start in another session (the attacker's, with the password) does not open this one
            CosignClient other = PinAttackKit.rawApi(trader);
            other.login("8300101", PASSWORD, "desk");
            other.call("pin/reset/start", Map.of("password", new String(PASSWORD)));
            s.sign("prove it again".getBytes(StandardCharsets.US_ASCII));
            GmgateException again = assertThrows(GmgateException.class, () -> s.cosign().callProven("pin/reset/finish", finish));
            assertEquals("COSIGN-157", again.errorCode().code(), again.getMessage());
            // nor is that start usable without a proven PIN in its own session
            GmgateException unproven = assertThrows(GmgateException.class, () -> other.call("pin/reset/finish", finish));
            assertEquals("COSIGN-148", unproven.errorCode().code(), unproven.getMessage());
        }
        assertTrue(site.shards().keys("8300101", "desk").stream().allMatch(k -> k.state() == KeyState.ACTIVE),
                "no key was re-shared or destroyed");
        try (GmgateClient.Session s = trader.login(PASSWORD, PIN)) {
            byte[] order = "still mine".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
        }
    }
}
