package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.testkit.PgSchema;

/** The operation log's group commit: a batch's rows and their audit anchor are stored together or not at all. */
class OperationLogTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void rowsWhoseAnchorCannotBeWrittenAreNotStored() {
        KeystoreSchema.migrate(PG.dataSource());
        SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "test passphrase".toCharArray());
        PgShardStore shards = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
        Jdbc jdbc = CosignJdbc.of(PG.dataSource(), "oplog-test");
        try (OperationLog log = new OperationLog(jdbc, shards.audit(), "oplog-test", 500, Duration.ofSeconds(30))) {
            log.record(entry());
            assertEquals(1, count(jdbc, "SELECT count(*) FROM cosign_operation_log"));
            assertEquals(1, count(jdbc, "SELECT count(*) FROM ks_audit WHERE action = 'cosign-operations'"));

            // The card that MACs the chain is gone: the anchor cannot be made, so the answer must not
            // leave, and no row may stay behind without its anchor (before, the rows had committed already).
            card.close();
            assertThrows(RuntimeException.class, () -> log.record(entry()));
            assertEquals(1, count(jdbc, "SELECT count(*) FROM cosign_operation_log"), "rows without an anchor were stored");
            assertEquals(1, count(jdbc, "SELECT count(*) FROM ks_audit WHERE action = 'cosign-operations'"));
        }
    }

    private static OperationLog.Entry entry() {
        return new OperationLog.Entry(Instant.now(), "SIGN", "acct", "dev", "session-1", 1, 1, new byte[32], new byte[32], null);
    }

    private static long count(Jdbc jdbc, String sql) {
        return jdbc.one("count", sql, rs -> rs.getLong(1)).orElseThrow();
    }
}
