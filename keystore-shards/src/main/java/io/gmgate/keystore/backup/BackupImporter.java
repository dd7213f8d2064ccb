package io.gmgate.keystore.backup;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.Sm4;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * Reads a backup export back with M custodian shares. In order, and each with its own code:
 * a share that is malformed, of another export, or does not match the commitment the header holds for
 * its index → KEY-171 naming the index; fewer than M good shares → KEY-170; a header whose MAC fails
 * under the recombined key, or any record segment that fails, is out of order, missing or extra →
 * KEY-172. Records reach the {@link BackupSink} one by one, each after its own tag verified.
 */
public final class BackupImporter {

    /** What an import restored. */
    public record Restored(String exportId, String contentType, Instant created, long records) {
    }

    private BackupImporter() {
    }

    /** Restores from the custodians' share lines (as {@link CustodianShare#encode()} wrote them). */
    public static Restored restore(InputStream in, List<String> shareLines, BackupSink sink) {
        List<CustodianShare> shares = new ArrayList<>();
        for (int i = 0; i < shareLines.size(); i++) {
            shares.add(CustodianShare.decode(shareLines.get(i), i + 1));
        }
        return restoreWith(in, shares, sink);
    }

    /** The header's unauthenticated description, for custodians: "backup <id> (<content>), 3-of-5 custodians, made <when>". */
    public static String describe(InputStream in) {
        try {
            BackupHeader h = BackupHeader.read(new DataInputStream(in));
            return "backup " + h.exportIdHex() + " (" + h.contentType() + "), " + h.threshold() + "-of-" + h.total()
                    + " custodians, made " + Instant.ofEpochMilli(h.createdMillis());
        } catch (IOException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_IO, "[KEY backup] reading the export failed: " + e.getMessage(), e);
        }
    }

    /** Checks the whole export with the shares without keeping any record ({@code gmgate backup verify}). */
    public static Restored verify(InputStream in, List<String> shareLines) {
        return restore(in, shareLines, record -> Arrays.fill(record, (byte) 0));
    }

    public static Restored restoreWith(InputStream in, List<CustodianShare> shares, BackupSink sink) {
        DataInputStream data = new DataInputStream(in);
        try {
            BackupHeader header = BackupHeader.read(data);
            byte[] exportKey = ShamirSharing.combine(checkedShares(header, shares));
            try (BackupKeys keys = new BackupKeys(exportKey)) {
                Arrays.fill(exportKey, (byte) 0);
                if (!header.macVerifies(keys.headerKey)) {
                    throw BackupHeader.tampered("export " + header.exportIdHex() + ": the header's MAC does not verify under the"
                            + " key the shares give: the header was altered");
                }
                long records = readSegments(data, keys, header, sink);
                return new Restored(header.exportIdHex(), header.contentType(), Instant.ofEpochMilli(header.createdMillis()), records);
            }
        } catch (IOException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_IO, "[KEY backup] reading the export failed: " + e.getMessage(), e);
        }
    }

    /** The distinct shares that match the header, or KEY-171 for the first that does not, or KEY-170 if too few. */
    private static List<ShamirSharing.Share> checkedShares(BackupHeader header, List<CustodianShare> shares) {
        Map<Integer, CustodianShare> good = new TreeMap<>();
        for (CustodianShare share : shares) {
            int index = share.index();
            if (!MessageDigest.isEqual(share.exportId(), header.exportId())) {
                throw invalid(index, "belongs to export " + java.util.HexFormat.of().formatHex(share.exportId())
                        + ", not to this export " + header.exportIdHex());
            }
            if (share.threshold() != header.threshold() || share.total() != header.total()) {
                throw invalid(index, "says " + share.threshold() + " of " + share.total() + " but the export was split "
                        + header.threshold() + " of " + header.total());
            }
            byte[] commitment = header.commitments().get(index);
            if (commitment == null || !MessageDigest.isEqual(commitment, share.commitment())) {
                throw invalid(index, "does not match the commitment this export holds for it: the share is wrong or"
                        + " tampered (or the export's header is)");
            }
            CustodianShare before = good.putIfAbsent(index, share);
            if (before != null && !before.equals(share)) {
                throw invalid(index, "was given twice with different values");
            }
        }
        if (good.size() < header.threshold()) {
            throw new KeystoreException(KeystoreErrors.BACKUP_TOO_FEW_SHARES, "[KEY backup] export " + header.exportIdHex()
                    + " needs " + header.threshold() + " of " + header.total() + " custodian shares; " + good.size()
                    + " valid distinct share(s) were given " + good.keySet());
        }
        // Every share left matches its commitment, so any M of them give the key.
        return good.values().stream().limit(header.threshold()).map(CustodianShare::toShamir).toList();
    }

    private static long readSegments(DataInputStream in, BackupKeys keys, BackupHeader header, BackupSink sink) throws IOException {
        byte[] headerDigest = header.digest();
        long records = 0;
        // Each pass consumes at least five bytes of the input, or returns, or throws; the exporter never
        // writes 2^31 segments.
        for (int counter = 0; counter < Integer.MAX_VALUE; counter++) {
            int kind = in.read();
            if (kind < 0) {
                throw BackupHeader.tampered("export " + header.exportIdHex() + " ends after " + records
                        + " records without its end marker: truncated");
            }
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw BackupHeader.tampered("segment " + counter + " is truncated");
            }
            if ((kind != BackupKeys.SEGMENT_RECORD && kind != BackupKeys.SEGMENT_END)
                    || length < Sm4.GCM_TAG_BYTES || length > BackupKeys.MAX_RECORD_BYTES + Sm4.GCM_TAG_BYTES) {
                throw BackupHeader.tampered("segment " + counter + " has an impossible kind " + kind + " or length " + length);
            }
            byte[] sealed = new byte[length];
            try {
                in.readFully(sealed);
            } catch (EOFException e) {
                throw BackupHeader.tampered("segment " + counter + " is truncated");
            }
            byte[] plain;
            try {
                plain = Sm4.gcmDecrypt(keys.recordKey, BackupKeys.nonce(header.noncePrefix(), counter),
                        BackupKeys.aad(headerDigest, (byte) kind, counter), sealed);
            } catch (GmCryptoException e) {
                throw BackupHeader.tampered("segment " + counter + " of export " + header.exportIdHex()
                        + " fails its tag: altered, reordered or from another export");
            }
            if (kind == BackupKeys.SEGMENT_RECORD) {
                sink.record(plain);
                records++;
                continue;
            }
            long count = plain.length == 8 ? java.nio.ByteBuffer.wrap(plain).getLong() : -1;
            if (count != records) {
                throw BackupHeader.tampered("the end marker counts " + count + " records but " + records + " came before it");
            }
            if (in.read() >= 0) {
                throw BackupHeader.tampered("export " + header.exportIdHex() + " has data after its end marker");
            }
            return records;
        }
        throw BackupHeader.tampered("export " + header.exportIdHex() + " has more segments than any export writes");
    }

    private static KeystoreException invalid(int index, String why) {
        return new KeystoreException(KeystoreErrors.BACKUP_SHARE_INVALID, "[KEY backup] custodian share " + index + " " + why);
    }
}
