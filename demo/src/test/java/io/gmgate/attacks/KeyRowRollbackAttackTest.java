package io.gmgate.attacks;

import static io.gmgate.attacks.KeyRowAttackSite.PIN;
import static io.gmgate.attacks.KeyRowAttackSite.password;
import static io.gmgate.attacks.KeyRowAttackSite.refused;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.sdk.GmgateClient;

/**
 * docs/security.md, "Key rows and locks": a PIN reset destroys the server's old shares so that a stolen copy of the old
 * device store is useless. Someone with write access to the database restored the destroyed key rows
 * from an old copy, and the old store with the old PIN signed again. Now every destroyed key leaves a
 * sealed, append-only tombstone: the restored row is refused (KEY-131), logged, audited and counted,
 * and the row scan of {@code gmgate audit verify} names it.
 */
class KeyRowRollbackAttackTest {

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
    void keyRowsRestoredAfterAPinResetDoNotSignAgain() throws Exception {
        String account = "8150201";
        GmgateClient trader = site.enrolled(account);
        Path store = trader.store().directory().resolve("device.gms");
        byte[] stolenStore = Files.readAllBytes(store); // the thief's copy, masked under the old PIN
        site.sql("CREATE TABLE stolen_keys AS SELECT * FROM ks_keys WHERE account = '" + account + "'");
        site.sql("CREATE TABLE stolen_shares AS SELECT s.* FROM ks_shares s JOIN ks_keys k ON k.key_id = s.key_id "
                + "WHERE k.account = '" + account + "'");

        try (GmgateClient.Session s = trader.login(password(account), PIN)) {
            s.resetPin(password(account), "246135".toCharArray());
        }
        // the rollback: the destroyed rows put back as they were before the reset
        site.sql("UPDATE ks_keys k SET state = o.state, row_version = o.row_version, destroyed_at = o.destroyed_at, "
                + "lock_reasons = o.lock_reasons, seal = o.seal FROM stolen_keys o WHERE k.key_id = o.key_id");
        site.sql("UPDATE ks_shares s SET wrapped_data_key = o.wrapped_data_key, nonce = o.nonce, ciphertext = o.ciphertext "
                + "FROM stolen_shares o WHERE s.key_id = o.key_id");
        long refusedBefore = site.site.shards().tamperings();

        Files.write(store, stolenStore);
        GmgateClient thief = site.terminal(account);
        refused("KEY-131", () -> {
            try (GmgateClient.Session s = thief.login(password(account), PIN)) {
                s.sign("ORDER by the thief".getBytes(StandardCharsets.US_ASCII));
            }
        });
        assertTrue(site.site.shards().tamperings() > refusedBefore, "the refusal is counted");
        site.assertAudited("row-tamper", "KEY-131", "of " + account + "/");
        List<String> findings = site.site.shards().scanRows();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("KEY-131 key ") && f.contains(account)), findings.toString());
        assertTrue(site.site.shards().audit().verify().intact(), "the audit chain itself was not touched");

        site.stillServes("8150202");
    }
}
