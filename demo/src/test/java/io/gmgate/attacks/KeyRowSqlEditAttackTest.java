package io.gmgate.attacks;

import static io.gmgate.attacks.KeyRowAttackSite.DEVICE;
import static io.gmgate.attacks.KeyRowAttackSite.PIN;
import static io.gmgate.attacks.KeyRowAttackSite.password;
import static io.gmgate.attacks.KeyRowAttackSite.refused;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "Key rows and locks": an UPDATE in SQL turned a LOCKED key ACTIVE, or set the PIN counter back to zero,
 * and nothing noticed. Now the key row and the counter carry a cipher-card seal over those columns:
 * the edited row is refused (KEY-130), logged, audited and counted, and the row scan names it.
 */
class KeyRowSqlEditAttackTest {

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
    void aLockedKeyEditedToActiveInSqlIsRefused() throws Exception {
        String account = "8150301";
        GmgateClient trader = site.enrolled(account);
        site.operator(KeyRowAttackSite.signSerial(trader.store().require()), true);
        long refusedBefore = site.site.shards().tamperings();

        site.sql("UPDATE ks_keys SET state = 'ACTIVE', lock_reasons = '{}' WHERE account = '" + account + "' AND state = 'LOCKED'");
        refused("KEY-130", () -> {
            try (GmgateClient.Session s = trader.login(password(account), PIN)) {
                s.sign("ORDER on an unlocked-by-SQL key".getBytes(StandardCharsets.US_ASCII));
            }
        });
        assertTrue(site.site.shards().tamperings() > refusedBefore, "the refusal is counted");
        site.assertAudited("row-tamper", "KEY-130", "of " + account + "/" + DEVICE);
        List<String> findings = site.site.shards().scanRows();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("KEY-130 key ") && f.contains(account + "/" + DEVICE)), findings.toString());
        site.stillServes("8150302");
    }

    @Test
    void aPinCounterEditedBackToZeroInSqlIsRefused() throws Exception {
        String account = "8150303";
        GmgateClient trader = site.enrolled(account);
        for (int i = 0; i < 5; i++) {
            site.site.shards().recordPinFailure(account, DEVICE); // five wrong PINs
        }
        site.sql("UPDATE ks_pin_counters SET failures = 0 WHERE account = '" + account + "'");
        refused("KEY-130", () -> {
            try (GmgateClient.Session s = trader.login(password(account), PIN)) {
                s.sign("ORDER with a fresh set of guesses".getBytes(StandardCharsets.US_ASCII));
            }
        });
        site.assertAudited("row-tamper", "KEY-130", "PIN counter of " + account + "/" + DEVICE);
        assertTrue(site.site.shards().scanRows().stream().anyMatch(f -> f.contains("PIN counter of " + account + "/" + DEVICE)));
        site.stillServes("8150304");
    }
}
