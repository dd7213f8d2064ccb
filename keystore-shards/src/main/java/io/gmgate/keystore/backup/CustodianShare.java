package io.gmgate.keystore.backup;

import java.util.Arrays;
import java.util.HexFormat;

import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.Sm3;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * One key custodian's part of a backup's export key, as text to print and seal in an envelope:
 * {@code GMGB1-<backup id>-<x>-<y hex>-<check>}. The check is an HMAC-SM3 under the backup's id, so
 * a mistyped share, a tampered one, or one of another backup is caught and named at restore.
 */
public record CustodianShare(String backupId, ShamirSharing.Share share) {

    private static final String PREFIX = "GMGB1";

    public String encode() {
        String body = PREFIX + "-" + backupId + "-" + share.x() + "-" + HexFormat.of().formatHex(share.y());
        return body + "-" + check(body);
    }

    static String check(String body) {
        byte[] mac = Sm3.hmac("gmgate custodian share".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(Arrays.copyOf(mac, 4));
    }

    /** Parses and checks a share of the given backup; {@code position} names it in errors (1-based). */
    public static CustodianShare decode(String text, String expectedBackup, int position) {
        String t = text.trim();
        int last = t.lastIndexOf('-');
        String[] f = t.split("-");
        if (last < 0 || f.length != 5 || !f[0].equals(PREFIX)) {
            throw invalid(position, "is not a gmgate custodian share");
        }
        if (!java.security.MessageDigest.isEqual(check(t.substring(0, last)).getBytes(), f[4].getBytes())) {
            throw invalid(position, "fails its check: mistyped or tampered with");
        }
        if (!f[1].equals(expectedBackup)) {
            throw invalid(position, "belongs to backup " + f[1] + ", not " + expectedBackup);
        }
        try {
            return new CustodianShare(f[1], new ShamirSharing.Share(Integer.parseInt(f[2]), HexFormat.of().parseHex(f[3])));
        } catch (RuntimeException e) {
            throw invalid(position, "does not parse");
        }
    }

    private static KeystoreException invalid(int position, String why) {
        return new KeystoreException(KeystoreErrors.BACKUP_SHARE_INVALID, "custodian share #" + position + " " + why);
    }

    @Override
    public String toString() {
        return "CustodianShare[" + backupId + " #" + share.x() + ", [redacted]]";
    }
}
