package io.gmgate.keystore.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gmgate.crypto.Sm3;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * The versioned header of a backup export (format 1):
 *
 * <pre>
 * "GMGATE-BACKUP"  13 bytes magic
 * u16              format version (1)
 * byte[16]         export id (random; every custodian share names it)
 * u64              created, epoch milliseconds
 * UTF              content type (e.g. "gmgate keystore shards v1")
 * u8 M, u8 N       threshold and number of custodian shares
 * N × (u8 index, byte[32] SM3 commitment to that share)
 * byte[8]          nonce prefix of the record segments
 * byte[32]         HMAC-SM3 over all the bytes above, under the header key derived from the export key
 * </pre>
 *
 * The MAC makes every header field authentic once the export key is recombined; the SM3 digest of the
 * whole header is the associated data of every record segment, so no segment moves to another export.
 */
record BackupHeader(byte[] exportId, long createdMillis, String contentType, int threshold, int total,
        Map<Integer, byte[]> commitments, byte[] noncePrefix, byte[] mac) {

    static final byte[] MAGIC = "GMGATE-BACKUP".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int NONCE_PREFIX_BYTES = 8;
    static final int MAC_BYTES = 32;

    /** The bytes the MAC covers. */
    byte[] authenticatedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.write(exportId);
            out.writeLong(createdMillis);
            out.writeUTF(contentType);
            out.writeByte(threshold);
            out.writeByte(total);
            for (Map.Entry<Integer, byte[]> c : commitments.entrySet()) {
                out.writeByte(c.getKey());
                out.write(c.getValue());
            }
            out.write(noncePrefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    byte[] encoded() {
        byte[] body = authenticatedBytes();
        byte[] out = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, out, body.length, MAC_BYTES);
        return out;
    }

    /** SM3 of the whole header: the associated data binding every segment to this export. */
    byte[] digest() {
        return Sm3.digest(encoded());
    }

    BackupHeader withMac(byte[] headerKey) {
        return new BackupHeader(exportId, createdMillis, contentType, threshold, total, commitments, noncePrefix,
                Sm3.hmac(headerKey, authenticatedBytes()));
    }

    boolean macVerifies(byte[] headerKey) {
        return MessageDigest.isEqual(Sm3.hmac(headerKey, authenticatedBytes()), mac);
    }

    String exportIdHex() {
        return HexFormat.of().formatHex(exportId);
    }

    /** Reads and checks the structure; the MAC is checked later, once the shares give the key. */
    static BackupHeader read(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw format("the file is shorter than a backup header");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw format("the file does not start with GMGATE-BACKUP");
        }
        try {
            int version = in.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw format("format version " + version + " is not one this gmgate reads (it reads " + FORMAT_VERSION + ")");
            }
            byte[] exportId = new byte[CustodianShare.EXPORT_ID_BYTES];
            in.readFully(exportId);
            long created = in.readLong();
            String contentType;
            try {
                contentType = in.readUTF();
            } catch (java.io.UTFDataFormatException e) {
                throw tampered("the header's content type is not valid modified UTF-8");
            }
            int threshold = in.readUnsignedByte();
            int total = in.readUnsignedByte();
            if (threshold < 2 || threshold > total) {
                throw tampered("the header's threshold " + threshold + " of " + total + " is impossible");
            }
            Map<Integer, byte[]> commitments = new LinkedHashMap<>();
            for (int i = 0; i < total; i++) {
                int index = in.readUnsignedByte();
                byte[] commitment = new byte[32];
                in.readFully(commitment);
                if (commitments.put(index, commitment) != null) {
                    throw tampered("the header lists share " + index + " twice");
                }
            }
            byte[] noncePrefix = new byte[NONCE_PREFIX_BYTES];
            in.readFully(noncePrefix);
            byte[] mac = new byte[MAC_BYTES];
            in.readFully(mac);
            return new BackupHeader(exportId, created, contentType, threshold, total, commitments, noncePrefix, mac);
        } catch (EOFException e) {
            throw tampered("the header is truncated");
        }
    }

    static KeystoreException format(String why) {
        return new KeystoreException(KeystoreErrors.BACKUP_FORMAT, "[KEY backup] not a gmgate backup export: " + why);
    }

    static KeystoreException tampered(String why) {
        return new KeystoreException(KeystoreErrors.BACKUP_TAMPERED, "[KEY backup] " + why);
    }
}
