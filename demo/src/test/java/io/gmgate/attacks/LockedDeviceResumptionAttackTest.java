package io.gmgate.attacks;

import static io.gmgate.attacks.SessionAttackKit.PIN;
import static io.gmgate.attacks.SessionAttackKit.login;
import static io.gmgate.attacks.SessionAttackKit.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.KeyState;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "Sessions and resumption": one certificate, two devices (design §4 step 7, re-share). The desk is reported
 * lost and locked; its terminal still holds a trading session. The gate accepted ANY ACTIVE record
 * of the certificate, so the laptop's ACTIVE record let the desk resume. Now the session is bound to
 * the desk's key record (the one whose co-signature made its CertificateVerify) and the resumption
 * re-checks that record: refused with CERT-103, while the laptop keeps trading.
 */
class LockedDeviceResumptionAttackTest {

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
    void aLockedDevicesSessionDoesNotResumeWhileAnotherDeviceOfTheCertificateIsActive() throws Exception {
        String account = "8300101";
        GmgateClient desk = SessionAttackKit.enrolled(site, account);
        GmgateClient laptop = SessionAttackKit.terminal(site, site.directory().resolve("attack-" + account + "-laptop"));
        try (GmgateClient.Session deskSession = desk.login(password(account), PIN)) {
            DeviceRecord second = deskSession.addDevice("laptop", PIN);
            LocalStore.open(laptop.store().directory()).save(second);
            try (TlcpSocket first = deskSession.connect()) {
                assertEquals("OK LOGIN " + account, login(first, account));
                assertFalse(first.engine().resumed());
            }
            try (TlcpSocket resumed = deskSession.connect()) {
                assertTrue(resumed.engine().resumed(), "the desk resumes its session while it may trade");
            }

            try (GmgateClient.Session laptopSession = laptop.login(password(account), PIN)) {
                laptopSession.lock(Optional.of("desk"), Optional.of("desk reported stolen"));
            }
            assertTrue(site.shards().keys(account, "desk").stream().allMatch(k -> k.state() != KeyState.ACTIVE),
                    "the desk's key records are locked");
            assertTrue(site.shards().keys(account, "laptop").stream().anyMatch(k -> k.state() == KeyState.ACTIVE),
                    "the laptop's stay ACTIVE");

            int headersBefore = site.front().headers().size();
            GmgateException refused = assertThrows(GmgateException.class, () -> deskSession.connect().close(),
                    "the locked desk must not resume through the laptop's ACTIVE record");
            assertEquals("TLS-107", refused.errorCode().code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("certificate_revoked"), "the gate's CERT-103 as the terminal sees it: "
                    + refused.getMessage());
            assertEquals(headersBefore, site.front().headers().size(), "nothing reached the front");
        }
        SessionAttackKit.aLegitimateTraderStillTrades(laptop, account);
    }
}
