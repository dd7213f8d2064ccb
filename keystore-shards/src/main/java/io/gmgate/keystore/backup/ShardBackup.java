package io.gmgate.keystore.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.OpenedPinOprfKey;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.ShardStore;
import io.gmgate.keystore.ShareBinding;

/**
 * Backup and recovery of the server key shares (docs/backup.md) in the export format of
 * {@link BackupExporter}: every live key (locked ones too; destroyed ones are tombstones and stay
 * behind) becomes one record — account, device, purpose, state and the plaintext share — and every
 * device's PIN OPRF key k_s (design §11) one more, all sealed under the export key that M-of-N
 * custodians share, so the export's segment chain authenticates both alike. The export does not
 * depend on the cipher card, so it survives the card's loss; a restore re-seals every share and k_s
 * under the target store's card.
 *
 * <p>Version 2 ({@link #CONTENT_TYPE}) tags each record with its kind. Version 1 exports (key records
 * only, untagged) still restore; they carry no k_s, so stores masked with the OPRF do not unmask
 * after such a restore and their traders re-enrol.
 */
public final class ShardBackup {

    /** The content type an export writes: key records and PIN OPRF keys, each record tagged with its kind. */
    public static final String CONTENT_TYPE = "gmgate key shares v2";
    /** Exports written before the PIN OPRF keys were carried: untagged key records only. Still restored. */
    public static final String CONTENT_TYPE_V1 = "gmgate key shares v1";
    private static final int KEY_RECORD = 1;
    private static final int PIN_OPRF_KEY_RECORD = 2;
    private static final int PAGE = 500;

    /** What an export produced: the file's bytes and one share per custodian. */
    public record Export(byte[] file, List<CustodianShare> custodians, int keys, int pinOprfKeys) {

        @Override
        public String toString() {
            return "ShardBackup.Export[" + file.length + " bytes, " + keys + " keys, " + pinOprfKeys + " PIN OPRF keys, "
                    + custodians.size() + " custodian shares redacted]";
        }
    }

    /**
     * What a restore did. {@code carriesPinOprfKeys} is false for a version-1 export: it had none to
     * restore, and devices whose stores are masked with the OPRF must re-enrol.
     */
    public record Restored(int keys, int pinOprfKeys, boolean carriesPinOprfKeys, String backupId) {
    }

    private ShardBackup() {
    }

    public static Export export(ShardStore store, int threshold, int custodians, String actor) {
        if (threshold < 2 || threshold > custodians || custodians > 255 || threshold > ShamirSharing.MAX_COMBINED) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "custodian split " + threshold + "-of-" + custodians
                    + ": need 2 ≤ M ≤ N ≤ 255 and M ≤ " + ShamirSharing.MAX_COMBINED);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int[] counts = {0, 0};
        BackupExporter.Export export = BackupExporter.export(out -> {
            counts[0] = writeKeys(store, out);
            counts[1] = writePinOprfKeys(store, out);
        }, CONTENT_TYPE, threshold, custodians, file);
        return new Export(file.toByteArray(), export.shares(), counts[0], counts[1]);
    }

    /** The backup id, content and custodian split from the header, so custodians know whose shares are needed. */
    public static String describe(byte[] file) {
        return BackupImporter.describe(new ByteArrayInputStream(file));
    }

    /**
     * Restores into {@code target} (accounts and devices are created as needed). The whole export is
     * checked first — every share, the header and every record — so a damaged file restores nothing.
     */
    public static Restored restore(byte[] file, List<String> custodianShares, ShardStore target, String actor) {
        BackupImporter.Restored checked = BackupImporter.verify(new ByteArrayInputStream(file), custodianShares);
        boolean tagged = CONTENT_TYPE.equals(checked.contentType());
        if (!tagged && !CONTENT_TYPE_V1.equals(checked.contentType())) {
            throw new KeystoreException(KeystoreErrors.BACKUP_FORMAT, "[KEY backup] export " + checked.exportId() + " holds '"
                    + checked.contentType() + "', not " + CONTENT_TYPE + " or " + CONTENT_TYPE_V1);
        }
        int[] restored = {0, 0};
        String id = checked.exportId();
        BackupImporter.restore(new ByteArrayInputStream(file), custodianShares, record -> {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
                int kind = tagged ? in.readUnsignedByte() : KEY_RECORD;
                if (kind == KEY_RECORD) {
                    restoreKey(in, target, actor, id);
                    restored[0]++;
                } else if (kind == PIN_OPRF_KEY_RECORD) {
                    restorePinOprfKey(in, target, actor, id);
                    restored[1]++;
                } else {
                    throw unreadable(id, "record kind " + kind, null);
                }
            } finally {
                Arrays.fill(record, (byte) 0);
            }
        });
        return new Restored(restored[0], restored[1], tagged, id);
    }

    private static int writeKeys(ShardStore store, BackupSource.RecordWriter out) throws IOException {
        int written = 0;
        long after = 0;
        for (List<KeyRecord> page; !(page = store.keysAfter(after, PAGE)).isEmpty(); ) {
            for (KeyRecord k : page) {
                after = k.keyId();
                if (k.state() == KeyState.DESTROYED) {
                    continue;
                }
                try (OpenedShare opened = store.openShareForBackup(k.keyId())) {
                    byte[] share = opened.share().toBytes();
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream record = new DataOutputStream(bytes)) {
                        record.writeByte(KEY_RECORD);
                        record.writeUTF(k.account());
                        record.writeUTF(k.device());
                        record.writeUTF(k.purpose().name());
                        record.writeUTF(k.state().name());
                        record.writeShort(share.length);
                        record.write(share);
                    } finally {
                        Arrays.fill(share, (byte) 0);
                    }
                    byte[] plain = bytes.toByteArray();
                    out.write(plain);
                    Arrays.fill(plain, (byte) 0);
                    written++;
                }
            }
        }
        return written;
    }

    /** Every device's k_s, after the key records (a restore creates the devices from those first). */
    private static int writePinOprfKeys(ShardStore store, BackupSource.RecordWriter out) throws IOException {
        int written = 0;
        String afterAccount = "";
        String afterDevice = "";
        for (List<OpenedPinOprfKey> page; !(page = store.openPinOprfKeysForBackup(afterAccount, afterDevice, PAGE)).isEmpty(); ) {
            try {
                for (OpenedPinOprfKey k : page) {
                    afterAccount = k.account();
                    afterDevice = k.device();
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream record = new DataOutputStream(bytes)) {
                        record.writeByte(PIN_OPRF_KEY_RECORD);
                        record.writeUTF(k.account());
                        record.writeUTF(k.device());
                        record.writeShort(k.key().length);
                        record.write(k.key());
                    }
                    byte[] plain = bytes.toByteArray();
                    out.write(plain);
                    Arrays.fill(plain, (byte) 0);
                    written++;
                }
            } finally {
                page.forEach(OpenedPinOprfKey::close);
            }
        }
        return written;
    }

    private static void restoreKey(DataInputStream in, ShardStore target, String actor, String backupId) throws IOException {
        try {
            String account = in.readUTF();
            String device = in.readUTF();
            ShareBinding.Purpose purpose = ShareBinding.Purpose.valueOf(in.readUTF());
            KeyState state = KeyState.valueOf(in.readUTF());
            byte[] bytes = in.readNBytes(in.readUnsignedShort());
            ensure(target, account, device, actor);
            ServerKeyShare share = ServerKeyShare.fromBytes(bytes);
            Arrays.fill(bytes, (byte) 0);
            KeyRecord k = target.storeKey(account, device, purpose, share, actor);
            share.destroy();
            if (state != KeyState.ACTIVE) {
                target.changeState(k.keyId(), k.rowVersion(), state, actor, "restored from backup " + backupId);
            }
        } catch (IllegalArgumentException e) {
            throw unreadable(backupId, "key record", e);
        }
    }

    private static void restorePinOprfKey(DataInputStream in, ShardStore target, String actor, String backupId) throws IOException {
        String account = in.readUTF();
        String device = in.readUTF();
        byte[] key = in.readNBytes(in.readUnsignedShort());
        try {
            ensure(target, account, device, actor);
            target.restorePinOprfKey(account, device, key, actor);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static KeystoreException unreadable(String backupId, String what, RuntimeException cause) {
        return new KeystoreException(KeystoreErrors.BACKUP_FORMAT, "[KEY backup] export " + backupId + " holds a " + what
                + " this gmgate cannot read" + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    private static void ensure(ShardStore target, String account, String device, String actor) {
        try {
            target.createAccount(account, actor);
        } catch (KeystoreException exists) {
            if (exists.errorCode() != KeystoreErrors.ALREADY_EXISTS) {
                throw exists;
            }
        }
        try {
            target.createDevice(account, device, actor);
        } catch (KeystoreException exists) {
            if (exists.errorCode() != KeystoreErrors.ALREADY_EXISTS) {
                throw exists;
            }
        }
    }
}
