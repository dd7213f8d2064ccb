package io.gmgate.attacks;

import static io.gmgate.attacks.KeyRowAttackSite.DEVICE;
import static io.gmgate.attacks.KeyRowAttackSite.PIN;
import static io.gmgate.attacks.KeyRowAttackSite.password;
import static io.gmgate.attacks.KeyRowAttackSite.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.error.GmgateException;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.LockReason;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "Key rows and locks": an operator locks a trader's certificate while his keys are PIN-locked; the lock
 * used to write no record of its own, so the trader's PIN reset reactivated the keys the operator
 * had locked. Now the operator's reason stays on the keys: the reset is refused (COSIGN-153) and
 * signing says who holds the lock (COSIGN-154) until the operator lifts it.
 */
class OperatorLockLiftedByPinResetAttackTest {

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
    void aPinResetDoesNotLiftAnOperatorLock() throws Exception {
        String account = "8150001";
        GmgateClient trader = site.enrolled(account);
        DeviceRecord record = trader.store().require();
        // the device is PIN-locked (the counting itself is the PIN hardening's subject)
        for (int i = 0; i < 100 && !site.site.shards().recordPinFailure(account, DEVICE).locked(); i++) {
            // bounded: the threshold is 6
        }
        site.operator(KeyRowAttackSite.signSerial(record), true);
        for (KeyRecord k : site.keys(account)) {
            if (k.state() != KeyState.DESTROYED) {
                assertTrue(k.lockedFor(LockReason.OPERATOR), "the operator's lock is recorded on a PIN-locked key too: " + k);
            }
        }

        // a PIN-locked device resets its PIN without a session (its login's PIN evaluation is refused)
        refused("COSIGN-153", () -> trader.resetPin(password(account), PIN, "246135".toCharArray()));
        refused("COSIGN-154", () -> trader.login(password(account), PIN));
        assertTrue(site.keys(account).stream().filter(k -> k.state() != KeyState.DESTROYED)
                .allMatch(k -> k.state() == KeyState.LOCKED), "every key stays locked");

        // the operator lifts his lock (and, having checked the holder, the PIN lock): the trader works again
        site.operator(KeyRowAttackSite.signSerial(record), false);
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            byte[] order = "ORDER after the operator".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
        }
        site.stillServes("8150002");
    }

    @Test
    void theTradersOwnLockAndAPinLockNoLongerLeaveHimStuck() {
        String account = "8150003";
        GmgateClient trader = site.enrolled(account);
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            s.lock(java.util.Optional.empty(), java.util.Optional.of("laptop left on a train"));
        }
        for (int i = 0; i < 100 && !site.site.shards().recordPinFailure(account, DEVICE).locked(); i++) {
            // bounded: the threshold is 6
        }
        // before: the PIN reset refused ("locked by the trader") and the unlock refused ("also PIN-locked");
        // now the reset's identity re-check lifts the PIN reason (its proof of the old PIN then meets the
        // trader's own lock), and the trader's unlock lifts his own
        GmgateException stopped = assertThrows(GmgateException.class,
                () -> trader.resetPin(password(account), PIN, "246135".toCharArray()));
        assertEquals("COSIGN-142", stopped.errorCode().code(), "the old PIN's proof meets his own lock: " + stopped.getMessage());
        assertEquals(java.util.Set.of(LockReason.TRADER), site.keys(account).get(0).lockReasons());
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            s.unlock(password(account), java.util.Optional.empty());
        }
        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            byte[] order = "ORDER unstuck".getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
        }
    }
}
