package io.gmgate.keystore.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * A 3-of-5 export and its five custodian lines, written by the code before ShamirSharing moved onto
 * BouncyCastle's threshold splitter (fixtures in src/test/resources): custodians' sealed envelopes
 * from then must still restore.
 */
class BackupBeforeBcThresholdTest {

    private static final String FIXTURE = "export-before-bc-threshold";

    private static byte[] file() throws IOException {
        try (InputStream in = BackupBeforeBcThresholdTest.class.getResourceAsStream(FIXTURE + ".bin")) {
            return in.readAllBytes();
        }
    }

    private static List<String> lines() throws IOException {
        try (InputStream in = BackupBeforeBcThresholdTest.class.getResourceAsStream(FIXTURE + ".shares")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @Test
    void everyThreeOfTheFiveOldSharesRestoreTheOldExport() throws IOException {
        byte[] file = file();
        List<String> lines = lines();
        assertEquals(5, lines.size());
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    List<byte[]> got = new ArrayList<>();
                    BackupImporter.Restored restored = BackupImporter.restore(new ByteArrayInputStream(file),
                            List.of(lines.get(b), lines.get(c), lines.get(a)), got::add);
                    assertEquals("gmgate keystore shards v1", restored.contentType());
                    assertEquals(3, restored.records());
                    assertArrayEquals("account=a1 device=d1 key=1 SIGN v1 sealed=fixture".getBytes(StandardCharsets.UTF_8), got.get(0));
                    assertArrayEquals(new byte[0], got.get(1));
                    assertArrayEquals("account=a2 device=d9 key=4 ENCRYPT v3 sealed=fixture".getBytes(StandardCharsets.UTF_8), got.get(2));
                }
            }
        }
        assertEquals(3, BackupImporter.restore(new ByteArrayInputStream(file), lines, r -> { }).records());
    }

    @Test
    void twoOldSharesStillAreTooFew() throws IOException {
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> BackupImporter.restore(new ByteArrayInputStream(file()), lines().subList(1, 3), r -> { }));
        assertEquals(KeystoreErrors.BACKUP_TOO_FEW_SHARES, e.errorCode());
    }
}
