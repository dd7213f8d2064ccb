package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgFixture;

/** Each test gets its own schema: a chain of its own to tamper with. */
class PgAuditLogTest {

    @TempDir
    static Path dir;

    private static SoftCipherCard card;
    private String schema;
    private DataSource ds;
    private PgAuditLog log;

    @BeforeAll
    static void openCard() {
        card = SoftCipherCard.init(dir.resolve("card.bin"), "audit chain test".toCharArray());
    }

    @AfterAll
    static void closeCard() {
        card.close();
    }

    @BeforeEach
    void freshChain() {
        schema = PgFixture.createSchema("audit");
        ds = PgFixture.dataSource(schema);
        KeystoreSchema.migrate(ds);
        log = new PgAuditLog(ds, card, 1);
    }

    @AfterEach
    void dropChain() {
        PgFixture.dropSchema(schema);
    }

    private void appendSix() {
        for (int i = 1; i <= 6; i++) {
            log.append(new AuditEvent("officer-" + i, "key-state", "alice", "pc-1", (long) i, 1, "ACTIVE->LOCKED",
                    Sm3.digest(("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
    }

    @Test
    void anEmptyAndAnAppendedChainVerify() {
        assertEquals(AuditVerification.intact(0, 0), log.verify());
        appendSix();
        AuditVerification v = log.verify();
        assertTrue(v.intact(), v.toString());
        assertEquals(6, v.recordsVerified());
        assertEquals(6, v.lastSeq());
        List<AuditRecord> read = log.read(2, 3);
        assertEquals(List.of(2L, 3L, 4L), read.stream().map(AuditRecord::seq).toList());
        assertEquals("officer-3", read.get(1).event().actor());
        assertEquals(32, read.get(1).event().detailHash().length);
    }

    @Test
    void aDeletedRecordIsNamed() throws SQLException {
        appendSix();
        tamper("DELETE FROM ks_audit WHERE seq = 3");
        assertBroken(3, "record #3 is missing");
    }

    @Test
    void severalDeletedRecordsAreNamedAsARange() throws SQLException {
        appendSix();
        tamper("DELETE FROM ks_audit WHERE seq IN (2, 3, 4)");
        assertBroken(2, "records #2..#4 are missing");
    }

    @Test
    void reorderedRecordsAreNamed() throws SQLException {
        appendSix();
        tamper("UPDATE ks_audit SET seq = 1000 WHERE seq = 4",
                "UPDATE ks_audit SET seq = 4 WHERE seq = 5",
                "UPDATE ks_audit SET seq = 5 WHERE seq = 1000");
        assertBroken(4, "record #4 fails its MAC");
    }

    @Test
    void anEditedRecordIsNamed() throws SQLException {
        appendSix();
        tamper("UPDATE ks_audit SET detail = 'LOCKED->ACTIVE' WHERE seq = 5");
        assertBroken(5, "record #5 fails its MAC");
    }

    @Test
    void anEditedDetailHashOrActorIsNamed() throws SQLException {
        appendSix();
        tamper("UPDATE ks_audit SET detail_hash = set_byte(detail_hash, 0, get_byte(detail_hash, 0) # 1) WHERE seq = 2");
        assertBroken(2, "record #2 fails its MAC");
    }

    @Test
    void recordsDeletedFromTheEndAreNamedThroughTheHead() throws SQLException {
        appendSix();
        tamper("DELETE FROM ks_audit WHERE seq >= 5");
        assertBroken(5, "records #5..#6 are missing: deleted from the end");
    }

    @Test
    void aHeadRewoundToHideDeletedRecordsIsCaught() throws SQLException {
        appendSix();
        tamper("DELETE FROM ks_audit WHERE seq = 6",
                "UPDATE ks_audit_head SET seq = 5, last_mac = (SELECT mac FROM ks_audit WHERE seq = 5)");
        assertBroken(6, "the chain head fails its MAC");
    }

    @Test
    void aRecordCopiedFromAnotherChainIsCaught() throws SQLException {
        appendSix();
        String other = PgFixture.createSchema("audit_other");
        try {
            DataSource ods = PgFixture.dataSource(other);
            KeystoreSchema.migrate(ods);
            PgAuditLog otherLog = new PgAuditLog(ods, card, 1);
            for (int i = 0; i < 3; i++) {
                otherLog.append(new AuditEvent("intruder", "key-state", "mallory", "pc-9", 99L, 1, "made elsewhere", null));
            }
            tamper("ALTER TABLE ks_audit DISABLE TRIGGER USER",
                    "DELETE FROM ks_audit WHERE seq = 3",
                    "INSERT INTO ks_audit SELECT * FROM " + other + ".ks_audit WHERE seq = 3");
            assertBroken(3, "record #3 fails its MAC");
        } finally {
            PgFixture.dropSchema(other);
        }
    }

    @Test
    void concurrentAppendersFormOneLinearChain() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // each thread stands for a node with its own connection pool
                PgAuditLog node = new PgAuditLog(PgFixture.dataSource(schema), card, 1);
                String actor = "node-" + t;
                results.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(node.append(new AuditEvent(actor, "cosign", "alice", "pc-1", 1L, 1, "i=" + i, null)).seq());
                    }
                    return seqs;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            all.sort(null);
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= threads * each; s++) {
                expected.add(s);
            }
            assertEquals(expected, all, "no gaps, no duplicates");
        } finally {
            pool.shutdownNow();
        }
        AuditVerification v = log.verify();
        assertTrue(v.intact(), v.toString());
        assertEquals(threads * each, v.recordsVerified());
    }

    @Test
    void recordsMadeBeforeAKekRotationStillVerify() throws SQLException {
        SoftCipherCard own = SoftCipherCard.init(dir.resolve("rotating-card.bin"), "rotating audit card".toCharArray());
        try {
            PgAuditLog rotating = new PgAuditLog(ds, own, 1);
            rotating.append(new AuditEvent("t", "before", null, null, null, null, "", null));
            own.rotateKek(1);
            rotating.append(new AuditEvent("t", "after", null, null, null, null, "", null));
            assertEquals(List.of(1, 2), rotating.read(1, 10).stream().map(r -> r.kek().version()).toList());
            assertTrue(rotating.verify().intact());
            AuditVerification withOtherCard = new PgAuditLog(ds, card, 1).verify();
            assertFalse(withOtherCard.intact(), "another card's keys do not verify this chain");
            assertEquals(1, withOtherCard.firstBadSeq());
        } finally {
            own.close();
        }
    }

    private void tamper(String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // what an intruder with DDL rights does first: the append-only trigger would refuse the rest
            st.execute("ALTER TABLE ks_audit DISABLE TRIGGER USER");
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private void assertBroken(long firstBadSeq, String problem) {
        AuditVerification v = log.verify();
        assertFalse(v.intact(), v.toString());
        assertEquals(firstBadSeq, v.firstBadSeq(), v.toString());
        assertTrue(v.problem().contains(problem), v.problem());
        KeystoreException e = assertThrows(KeystoreException.class, () -> v.requireIntact("audit"));
        assertEquals(KeystoreErrors.AUDIT_CHAIN_BROKEN, e.errorCode());
    }
}
