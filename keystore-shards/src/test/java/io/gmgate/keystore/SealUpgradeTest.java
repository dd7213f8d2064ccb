package io.gmgate.keystore;

import static io.gmgate.keystore.PgShardStoreTest.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

/** Rows written before V7 are sealed once, at the first start, and never again (docs/keystore.md, "Sealed rows"). */
class SealUpgradeTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    @Test
    void rowsWithoutSealsAreSealedOnceAndAfterThatANullSealIsTampering() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        try (SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "upgrade test".toCharArray())) {
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            store.createAccount("7001", "t");
            store.createDevice("7001", "pc", "t");
            KeyRecord key = store.storeKey("7001", "pc", Purpose.SIGN, Shares.generate("7001", "pc"), "t");
            // what a database written by the previous version looks like after V7: no seals, no counter row
            PgShardStoreTest.sql(PG, "UPDATE ks_keys SET seal = NULL");
            PgShardStoreTest.sql(PG, "DELETE FROM ks_pin_counters");
            expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.key(key.keyId()));

            assertEquals(2, store.upgradeSeals("cosign:node-1"), "one key row and one (created) counter");
            assertEquals(-1, store.upgradeSeals("gateway:gw-1", false));
            assertEquals(key.keyId(), store.key(key.keyId()).keyId());
            assertEquals(0, store.pinCounter("7001", "pc").failures());
            assertTrue(store.audit().read(1, 1000).stream().anyMatch(r -> r.event().action().equals(PgShardStore.SEAL_UPGRADE)));
            assertEquals(-1, store.upgradeSeals("cosign:node-2"), "done once for good");

            PgShardStoreTest.sql(PG, "UPDATE ks_keys SET seal = NULL, state = 'ACTIVE'");
            assertEquals(-1, store.upgradeSeals("cosign:node-1"), "a restart does not re-seal a row whose seal was removed");
            expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.openShare(key.keyId()));
            assertTrue(store.scanRows().stream().anyMatch(f -> f.startsWith("KEY-130 key " + key.keyId() + " ")));
        }
    }
}
