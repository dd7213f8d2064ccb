package io.gmgate.attacks;

import static io.gmgate.attacks.KeyRowAttackSite.PIN;
import static io.gmgate.attacks.KeyRowAttackSite.password;
import static io.gmgate.attacks.KeyRowAttackSite.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "Key rows and locks": the operator's lock of a trader's sign certificate locked only the sign key, so a
 * terminal holding a confirmation from before the lock still co-decrypted with the encryption key.
 * Now an operator's lock covers every key of the device; co-decryption is refused with COSIGN-154.
 */
class OperatorLockLeavesDecryptionAttackTest {

    private static KeyRowAttackSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new KeyRowAttackSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void anOperatorLockOfTheSignCertificateAlsoStopsCoDecryption() throws Exception {
        String account = "8150101";
        GmgateClient trader = site.enrolled(account);
        DeviceRecord record = trader.store().require();
        byte[] secret = "settlement figures".getBytes(StandardCharsets.UTF_8);
        Sm2Ciphertext enveloped = Sm2Cipher.encrypt(GmPem.publicKey(GmPem.certificateFromDer(record.encCertificate().orElseThrow())),
                secret);
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            assertArrayEquals(secret, s.decrypt(enveloped));
            s.sign("an order before the lock".getBytes(StandardCharsets.US_ASCII)); // leaves a confirmation pending

            site.operator(KeyRowAttackSite.signSerial(record), true);
            site.keys(account).stream().filter(k -> k.purpose() == Purpose.ENCRYPT)
                    .forEach(k -> assertEquals(KeyState.LOCKED, k.state(), "the encryption key is locked with the sign key"));
            refused("COSIGN-154", () -> s.decrypt(enveloped));
        }

        site.operator(KeyRowAttackSite.signSerial(record), false);
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            assertArrayEquals(secret, s.decrypt(enveloped), "unlocked by the operator, the trader decrypts again");
        }
        site.stillServes("8150102");
    }
}
