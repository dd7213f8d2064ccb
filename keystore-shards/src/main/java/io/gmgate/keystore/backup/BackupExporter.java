package io.gmgate.keystore.backup;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.Sm4;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * Writes an encrypted backup export (docs/backup.md): a {@link BackupHeader}, then each record of the
 * {@link BackupSource} as its own SM4-GCM segment under a fresh random export key, then an end segment
 * holding the record count. The export key is split M-of-N among key custodians with
 * {@link ShamirSharing}, and forgotten: only M custodians together can restore.
 *
 * <p>Segments rather than one GCM over the whole stream, so that an import never hands out a record
 * before it has been authenticated and a large export never has to sit in memory; the counter in each
 * nonce and associated data, and the end segment, catch reordering, truncation and splicing.
 */
public final class BackupExporter {

    /** What an export produced: the custodians' shares go to M-of-N different people, never next to the file. */
    public record Export(String exportId, String contentType, int threshold, long records, List<CustodianShare> shares) {

        public Export {
            shares = List.copyOf(shares);
        }

        @Override
        public String toString() {
            return "Export[" + exportId + ", " + contentType + ", " + records + " records, " + threshold + " of "
                    + shares.size() + " shares redacted]";
        }
    }

    private BackupExporter() {
    }

    public static Export export(BackupSource source, String contentType, int threshold, int custodians, OutputStream out) {
        return export(source, contentType, threshold, custodians, out, Clock.systemUTC());
    }

    static Export export(BackupSource source, String contentType, int threshold, int custodians, OutputStream out, Clock clock) {
        if (threshold < 2 || threshold > custodians || custodians > 255 || threshold > ShamirSharing.MAX_COMBINED) {
            throw new IllegalArgumentException("a backup needs 2 <= M <= N <= 255 custodians and M <= " + ShamirSharing.MAX_COMBINED
                    + ", got M=" + threshold + " N=" + custodians);
        }
        byte[] exportKey = GmRandom.bytes(BackupKeys.EXPORT_KEY_BYTES);
        byte[] exportId = GmRandom.bytes(CustodianShare.EXPORT_ID_BYTES);
        List<CustodianShare> shares = new ArrayList<>();
        Map<Integer, byte[]> commitments = new LinkedHashMap<>();
        for (ShamirSharing.Share s : ShamirSharing.split(exportKey, threshold, custodians)) {
            CustodianShare share = CustodianShare.of(exportId, threshold, custodians, s);
            shares.add(share);
            commitments.put(share.index(), share.commitment());
        }
        try (BackupKeys keys = new BackupKeys(exportKey)) {
            Arrays.fill(exportKey, (byte) 0);
            BackupHeader header = new BackupHeader(exportId, clock.millis(), contentType, threshold, custodians, commitments,
                    GmRandom.bytes(BackupHeader.NONCE_PREFIX_BYTES), new byte[BackupHeader.MAC_BYTES]).withMac(keys.headerKey);
            byte[] headerDigest = header.digest();
            DataOutputStream data = new DataOutputStream(out);
            data.write(header.encoded());
            long[] count = {0};
            int[] counter = {0};
            source.writeRecords(record -> {
                if (record.length > BackupKeys.MAX_RECORD_BYTES) {
                    throw new IllegalArgumentException("a backup record is limited to " + BackupKeys.MAX_RECORD_BYTES
                            + " bytes, got " + record.length);
                }
                writeSegment(data, keys, header, headerDigest, BackupKeys.SEGMENT_RECORD, counter[0]++, record);
                count[0]++;
            });
            byte[] end = java.nio.ByteBuffer.allocate(8).putLong(count[0]).array();
            writeSegment(data, keys, header, headerDigest, BackupKeys.SEGMENT_END, counter[0], end);
            data.flush();
            return new Export(HexFormat.of().formatHex(exportId), contentType, threshold, count[0], shares);
        } catch (IOException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_IO, "[KEY backup] writing the export failed: " + e.getMessage(), e);
        }
    }

    private static void writeSegment(DataOutputStream out, BackupKeys keys, BackupHeader header, byte[] headerDigest,
            byte kind, int counter, byte[] plaintext) throws IOException {
        if (counter == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a backup holds fewer than 2^31 records");
        }
        byte[] sealed = Sm4.gcmEncrypt(keys.recordKey, BackupKeys.nonce(header.noncePrefix(), counter),
                BackupKeys.aad(headerDigest, kind, counter), plaintext);
        out.writeByte(kind);
        out.writeInt(sealed.length);
        out.write(sealed);
    }
}
