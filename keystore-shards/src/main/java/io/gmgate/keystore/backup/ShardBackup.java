package io.gmgate.keystore.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.ShardStore;
import io.gmgate.keystore.ShareBinding;

/**
 * Backup and recovery of the server key shares (seed 003 §9.1 c) in the export format of
 * {@link BackupExporter}: every live key (locked ones too; destroyed ones are tombstones and stay
 * behind) becomes one record — account, device, purpose, state and the plaintext share — sealed under
 * the export key that M-of-N custodians share. The export does not depend on the cipher card, so it
 * survives the card's loss; a restore re-seals every share under the target store's card.
 */
public final class ShardBackup {

    /** The content type in the export header; a restore refuses any other. */
    public static final String CONTENT_TYPE = "gmgate key shares v1";
    private static final int PAGE = 500;

    /** What an export produced: the file's bytes and one share per custodian. */
    public record Export(byte[] file, List<CustodianShare> custodians, int keys) {

        @Override
        public String toString() {
            return "ShardBackup.Export[" + file.length + " bytes, " + keys + " keys, " + custodians.size() + " custodian shares redacted]";
        }
    }

    /** What a restore did. */
    public record Restored(int keys, String backupId) {
    }

    private ShardBackup() {
    }

    public static Export export(ShardStore store, int threshold, int custodians, String actor) {
        if (threshold < 2 || threshold > custodians || custodians > 255) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT,
                    "custodian split " + threshold + "-of-" + custodians + ": need 2 ≤ M ≤ N ≤ 255");
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BackupExporter.Export export = BackupExporter.export(out -> writeKeys(store, out), CONTENT_TYPE, threshold, custodians, file);
        return new Export(file.toByteArray(), export.shares(), Math.toIntExact(export.records()));
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
        if (!CONTENT_TYPE.equals(checked.contentType())) {
            throw new KeystoreException(KeystoreErrors.BACKUP_FORMAT, "[KEY backup] export " + checked.exportId() + " holds '"
                    + checked.contentType() + "', not " + CONTENT_TYPE);
        }
        int[] restored = {0};
        BackupImporter.restore(new ByteArrayInputStream(file), custodianShares, record -> {
            restoreKey(record, target, actor, checked.exportId());
            restored[0]++;
        });
        return new Restored(restored[0], checked.exportId());
    }

    private static void writeKeys(ShardStore store, BackupSource.RecordWriter out) throws IOException {
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
                }
            }
        }
    }

    private static void restoreKey(byte[] record, ShardStore target, String actor, String backupId) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
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
            throw new KeystoreException(KeystoreErrors.BACKUP_FORMAT, "[KEY backup] export " + backupId
                    + " holds a key record this gmgate cannot read: " + e.getMessage(), e);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
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
