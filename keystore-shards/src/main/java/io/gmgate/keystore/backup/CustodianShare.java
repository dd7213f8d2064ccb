package io.gmgate.keystore.backup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.Sm3;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * One key custodian's share of a backup's export key, as the custodian keeps it: one line of text,
 *
 * <pre>gmgate-share-v1.&lt;export id&gt;.&lt;M&gt;of&lt;N&gt;.&lt;index&gt;.&lt;share&gt;.&lt;check&gt;</pre>
 *
 * The check (4 bytes of SM3 over the rest) catches a mistyped or damaged line at once. It is no
 * defence against a deliberate change, which anyone can recompute; that is the export header's job:
 * it holds an SM3 commitment to every share under the header MAC, so {@link BackupImporter} names a
 * wrong or tampered share by its index. {@link #toString()} never shows the share bytes.
 */
public record CustodianShare(byte[] exportId, int threshold, int total, int index, byte[] value) {

    static final int EXPORT_ID_BYTES = 16;
    private static final String PREFIX = "gmgate-share-v1";
    private static final Pattern TEXT = Pattern.compile(
            "gmgate-share-v1\\.([0-9a-f]{32})\\.([0-9]{1,3})of([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9a-f]{2,512})\\.([0-9a-f]{8})");

    public CustodianShare {
        exportId = exportId.clone();
        value = value.clone();
        if (exportId.length != EXPORT_ID_BYTES || threshold < 2 || threshold > total || total > 255
                || index < 1 || index > total || value.length == 0) {
            throw new IllegalArgumentException("not a custodian share: M=" + threshold + " N=" + total + " index=" + index);
        }
    }

    static CustodianShare of(byte[] exportId, int threshold, int total, ShamirSharing.Share share) {
        return new CustodianShare(exportId, threshold, total, share.x(), share.y());
    }

    @Override
    public byte[] exportId() {
        return exportId.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    ShamirSharing.Share toShamir() {
        return new ShamirSharing.Share(index, value);
    }

    /** The line the custodian keeps (print it, seal it in an envelope, never store it next to the export). */
    public String encode() {
        String body = PREFIX + "." + HexFormat.of().formatHex(exportId) + "." + threshold + "of" + total + "." + index
                + "." + HexFormat.of().formatHex(value);
        return body + "." + check(body);
    }

    /**
     * Reads a custodian's line. {@code position} (1-based, in the order given) names the share in the
     * error when the line is too damaged to tell its own index. Fails with KEY-171.
     */
    public static CustodianShare decode(String text, int position) {
        String line = text == null ? "" : text.strip();
        Matcher m = TEXT.matcher(line);
        if (!m.matches()) {
            throw new KeystoreException(KeystoreErrors.BACKUP_SHARE_INVALID, "[KEY backup] share #" + position
                    + " (in the order given) is not a gmgate-share-v1 line");
        }
        int index = Integer.parseInt(m.group(4));
        String body = line.substring(0, line.lastIndexOf('.'));
        if (!check(body).equals(m.group(6))) {
            throw new KeystoreException(KeystoreErrors.BACKUP_SHARE_INVALID, "[KEY backup] share " + index
                    + " fails its check digits: mistyped or damaged");
        }
        byte[] value = HexFormat.of().parseHex(m.group(5));
        try {
            return new CustodianShare(HexFormat.of().parseHex(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), index, value);
        } catch (IllegalArgumentException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_SHARE_INVALID, "[KEY backup] share " + index + ": " + e.getMessage());
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** The SM3 commitment the export header keeps for this share. */
    byte[] commitment() {
        return commitment(exportId, index, value);
    }

    static byte[] commitment(byte[] exportId, int index, byte[] value) {
        return Sm3.digest("gmgate backup share commitment v1".getBytes(StandardCharsets.US_ASCII), exportId,
                new byte[] {(byte) index}, value);
    }

    private static String check(String body) {
        return HexFormat.of().formatHex(Arrays.copyOf(Sm3.digest(body.getBytes(StandardCharsets.US_ASCII)), 4));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustodianShare s && Arrays.equals(s.exportId, exportId) && s.threshold == threshold
                && s.total == total && s.index == index && Arrays.equals(s.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(exportId) * 31 + index;
    }

    @Override
    public String toString() {
        return "CustodianShare[export " + HexFormat.of().formatHex(exportId, 0, 4) + "…, " + threshold + " of " + total
                + ", index " + index + ", value redacted]";
    }
}
