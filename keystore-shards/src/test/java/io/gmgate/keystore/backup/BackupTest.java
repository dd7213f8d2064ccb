package io.gmgate.keystore.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.gmgate.error.ErrorCode;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/** Backup export and M-of-N recovery (docs/backup.md). */
class BackupTest {

    private static final String CONTENT = "gmgate keystore shards v1";

    private static final List<byte[]> RECORDS = List.of(
            "account=a1 device=d1 key=1 SIGN v1 sealed=...".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            bytes(100_000, 7),
            "account=a2 device=d9 key=4 ENCRYPT v3 sealed=...".getBytes(StandardCharsets.UTF_8));

    record Exported(byte[] file, BackupExporter.Export export) {
        List<String> lines(int... indexes) {
            List<String> out = new ArrayList<>();
            for (int i : indexes) {
                out.add(export.shares().get(i - 1).encode());
            }
            return out;
        }
    }

    static Exported export(List<byte[]> records, int m, int n) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BackupExporter.Export export = BackupExporter.export(out -> {
            for (byte[] r : records) {
                out.write(r);
            }
        }, CONTENT, m, n, file);
        return new Exported(file.toByteArray(), export);
    }

    static List<byte[]> restore(byte[] file, List<String> lines) {
        List<byte[]> got = new ArrayList<>();
        BackupImporter.Restored restored = BackupImporter.restore(new ByteArrayInputStream(file), lines, got::add);
        assertEquals(got.size(), restored.records());
        assertEquals(CONTENT, restored.contentType());
        return got;
    }

    @Test
    void anyMOfTheNSharesRestoreEveryRecordInOrder() {
        Exported e = export(RECORDS, 3, 5);
        assertEquals(5, e.export().shares().size());
        assertEquals(RECORDS.size(), e.export().records());
        int subsets = 0;
        for (int a = 1; a <= 5; a++) {
            for (int b = a + 1; b <= 5; b++) {
                for (int c = b + 1; c <= 5; c++) {
                    assertRecords(RECORDS, restore(e.file(), e.lines(c, a, b)));
                    subsets++;
                }
            }
        }
        assertEquals(10, subsets);
        assertRecords(RECORDS, restore(e.file(), e.lines(1, 2, 3, 4, 5)));
        assertEquals(RECORDS.size(), BackupImporter.verify(new ByteArrayInputStream(e.file()), e.lines(2, 3, 4)).records());
    }

    @Test
    void anExportOfNoRecordsRestoresToNone() {
        Exported e = export(List.of(), 2, 2);
        assertTrue(restore(e.file(), e.lines(1, 2)).isEmpty());
    }

    @Test
    void fewerThanMSharesAreKey170AndNoRecordIsReleased() {
        Exported e = export(RECORDS, 3, 5);
        List<byte[]> got = new ArrayList<>();
        KeystoreException ex = assertThrows(KeystoreException.class,
                () -> BackupImporter.restore(new ByteArrayInputStream(e.file()), e.lines(2, 5), got::add));
        assertEquals(KeystoreErrors.BACKUP_TOO_FEW_SHARES, ex.errorCode());
        assertTrue(ex.getMessage().contains("needs 3 of 5") && ex.getMessage().contains("2 valid"), ex.getMessage());
        assertTrue(got.isEmpty());
        List<String> sameTwice = e.lines(2, 5, 5);
        assertCode(KeystoreErrors.BACKUP_TOO_FEW_SHARES, () -> restore(e.file(), sameTwice));
    }

    @Test
    void aDeliberatelyTamperedShareIsKey171NamingItsIndex() {
        Exported e = export(RECORDS, 3, 5);
        CustodianShare honest = e.export().shares().get(3);
        byte[] changed = honest.value();
        changed[0] ^= 0x01;
        // A forger recomputes the check digits: only the export's commitment can tell.
        String forged = new CustodianShare(honest.exportId(), 3, 5, honest.index(), changed).encode();
        KeystoreException ex = assertThrows(KeystoreException.class,
                () -> restore(e.file(), List.of(e.lines(1).get(0), forged, e.lines(2).get(0))));
        assertEquals(KeystoreErrors.BACKUP_SHARE_INVALID, ex.errorCode());
        assertTrue(ex.getMessage().contains("custodian share 4 does not match"), ex.getMessage());

        // Claiming another custodian's index with a valid-looking line fails the same way.
        CustodianShare one = e.export().shares().get(0);
        String renumbered = new CustodianShare(one.exportId(), 3, 5, 2, one.value()).encode();
        assertCode(KeystoreErrors.BACKUP_SHARE_INVALID, () -> restore(e.file(), List.of(renumbered, e.lines(3).get(0), e.lines(4).get(0))));
    }

    @Test
    void aMistypedOrForeignOrGarbledShareIsKey171() {
        Exported e = export(RECORDS, 2, 3);
        Exported other = export(RECORDS, 2, 3);
        String line = e.lines(2).get(0);
        int digit = line.indexOf('.', line.indexOf("of") + 4) + 3;
        String typo = line.substring(0, digit) + (line.charAt(digit) == '0' ? '1' : '0') + line.substring(digit + 1);

        KeystoreException mistyped = assertThrows(KeystoreException.class, () -> restore(e.file(), List.of(e.lines(1).get(0), typo)));
        assertEquals(KeystoreErrors.BACKUP_SHARE_INVALID, mistyped.errorCode());
        assertTrue(mistyped.getMessage().contains("share 2 fails its check digits"), mistyped.getMessage());

        KeystoreException foreign = assertThrows(KeystoreException.class,
                () -> restore(e.file(), List.of(e.lines(1).get(0), other.lines(2).get(0))));
        assertTrue(foreign.getMessage().contains("custodian share 2 belongs to export " + other.export().exportId()), foreign.getMessage());

        KeystoreException garbled = assertThrows(KeystoreException.class,
                () -> restore(e.file(), List.of(e.lines(1).get(0), "gmgate-share-v1.oops")));
        assertTrue(garbled.getMessage().contains("share #2 (in the order given)"), garbled.getMessage());
    }

    @Test
    void everyChangedByteOfTheExportIsCaught() throws IOException {
        Exported e = export(RECORDS.subList(0, 2), 2, 3);
        int headerLength = headerLength(e.file());
        List<String> lines = e.lines(1, 3);
        for (int i = 0; i < e.file().length; i++) {
            byte[] tampered = e.file().clone();
            tampered[i] ^= 0x20;
            KeystoreException ex = assertThrows(KeystoreException.class, () -> restore(tampered, lines), "byte " + i);
            if (i >= headerLength) {
                assertEquals(KeystoreErrors.BACKUP_TAMPERED, ex.errorCode(), "byte " + i + ": " + ex.getMessage());
            } else {
                // In the header: bad magic/version (KEY-173), a share no longer matching its commitment (KEY-171),
                // anything else the header MAC (KEY-172). Never a success.
                assertTrue(List.of(KeystoreErrors.BACKUP_FORMAT, KeystoreErrors.BACKUP_SHARE_INVALID,
                        KeystoreErrors.BACKUP_TAMPERED, KeystoreErrors.BACKUP_TOO_FEW_SHARES).contains(ex.errorCode()),
                        "byte " + i + ": " + ex.getMessage());
            }
        }
        byte[] contentTypeChanged = e.file().clone();
        contentTypeChanged[BackupHeader.MAGIC.length + 2 + 16 + 8 + 2] ^= 0x20;
        KeystoreException header = assertThrows(KeystoreException.class, () -> restore(contentTypeChanged, lines));
        assertEquals(KeystoreErrors.BACKUP_TAMPERED, header.errorCode());
        assertTrue(header.getMessage().contains("header's MAC does not verify"), header.getMessage());
    }

    @Test
    void aTruncatedExtendedReorderedOrSplicedExportIsKey172() throws IOException {
        Exported e = export(RECORDS, 2, 3);
        List<String> lines = e.lines(1, 2);
        int headerLength = headerLength(e.file());
        for (int length = headerLength; length < e.file().length; length += 997) {
            byte[] cut = Arrays.copyOf(e.file(), length);
            assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(cut, lines));
        }
        assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(Arrays.copyOf(e.file(), e.file().length - 1), lines));
        byte[] extended = Arrays.copyOf(e.file(), e.file().length + 1);
        assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(extended, lines));

        // Swap the first two record segments: each still carries a valid tag, but for another position.
        List<int[]> segments = segments(e.file(), headerLength);
        byte[] swapped = swap(e.file(), segments.get(0), segments.get(1));
        assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(swapped, lines));

        // Drop the last record segment but keep the end marker.
        int[] last = segments.get(RECORDS.size() - 1);
        byte[] dropped = concat(Arrays.copyOf(e.file(), last[0]), Arrays.copyOfRange(e.file(), last[1], e.file().length));
        assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(dropped, lines));

        // A segment from another export with the same records: another key, another header.
        Exported other = export(RECORDS, 2, 3);
        int[] foreign = segments(other.file(), headerLength(other.file())).get(0);
        int[] mine = segments.get(0);
        byte[] spliced = concat(concat(Arrays.copyOf(e.file(), mine[0]), Arrays.copyOfRange(other.file(), foreign[0], foreign[1])),
                Arrays.copyOfRange(e.file(), mine[1], e.file().length));
        assertCode(KeystoreErrors.BACKUP_TAMPERED, () -> restore(spliced, lines));
    }

    @Test
    void aFileThatIsNoBackupIsKey173() {
        Exported e = export(RECORDS, 2, 3);
        assertCode(KeystoreErrors.BACKUP_FORMAT, () -> restore("just some file".getBytes(StandardCharsets.US_ASCII), e.lines(1, 2)));
        assertCode(KeystoreErrors.BACKUP_FORMAT, () -> restore(new byte[0], e.lines(1, 2)));
        byte[] future = e.file().clone();
        future[BackupHeader.MAGIC.length + 1] = 2;
        KeystoreException ex = assertThrows(KeystoreException.class, () -> restore(future, e.lines(1, 2)));
        assertEquals(KeystoreErrors.BACKUP_FORMAT, ex.errorCode());
        assertTrue(ex.getMessage().contains("format version 2"), ex.getMessage());
    }

    @Test
    void sharesRoundTripAsTextAndNeverShowTheirValue() {
        Exported e = export(RECORDS.subList(0, 1), 2, 3);
        for (CustodianShare share : e.export().shares()) {
            String line = share.encode();
            assertEquals(share, CustodianShare.decode(line, 1));
            assertTrue(line.startsWith("gmgate-share-v1." + e.export().exportId() + ".2of3." + share.index() + "."), line);
            String hex = java.util.HexFormat.of().formatHex(share.value());
            assertFalse(share.toString().contains(hex), share.toString());
            assertFalse(e.export().toString().contains(hex), e.export().toString());
        }
        assertThrows(IllegalArgumentException.class, () -> export(RECORDS, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> export(RECORDS, 4, 3));
    }

    /** BouncyCastle combines at most 129 shares: a larger quorum could never restore, so it is refused up front. */
    @Test
    void aQuorumThatCouldNeverBeCombinedIsRefusedBeforeAnythingIsWritten() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> export(RECORDS, 130, 200));
        assertTrue(refused.getMessage().contains("M <= 129"), refused.getMessage());
        Exported largest = export(RECORDS, 129, 130);
        assertRecords(RECORDS, restore(largest.file(), largest.lines(java.util.stream.IntStream.rangeClosed(2, 130).toArray())));
    }

    // --- helpers ---

    private static int headerLength(byte[] file) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        BackupHeader.read(new DataInputStream(in));
        return file.length - in.available();
    }

    /** [start, end) of each segment after the header. */
    private static List<int[]> segments(byte[] file, int headerLength) {
        List<int[]> out = new ArrayList<>();
        int at = headerLength;
        while (at < file.length && out.size() < 1000) {
            int length = java.nio.ByteBuffer.wrap(file, at + 1, 4).getInt();
            out.add(new int[] {at, at + 5 + length});
            at += 5 + length;
        }
        return out;
    }

    private static byte[] swap(byte[] file, int[] a, int[] b) {
        return concat(concat(concat(Arrays.copyOf(file, a[0]), Arrays.copyOfRange(file, b[0], b[1])),
                Arrays.copyOfRange(file, a[0], a[1])), Arrays.copyOfRange(file, b[1], file.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 31 + seed);
        }
        return out;
    }

    private static void assertRecords(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    private static void assertCode(ErrorCode expected, Executable call) {
        KeystoreException e = assertThrows(KeystoreException.class, call);
        assertEquals(expected, e.errorCode(), e.getMessage());
    }
}
