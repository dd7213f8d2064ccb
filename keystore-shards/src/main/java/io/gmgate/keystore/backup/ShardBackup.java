package io.gmgate.keystore.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.ShamirSharing;
import io.gmgate.crypto.Sm4;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.ShardStore;

/**
 * Backup and recovery of the server key shares (seed 003 §9.1 c): an export encrypted with SM4-GCM
 * under a fresh export key, the header as associated data, and the export key split M-of-N among
 * key custodians (Shamir over GF(2^8)). The export does not depend on the cipher card, so it
 * survives the card's loss; restoring needs M custodians. Destroyed keys are not exported.
 */
public final class ShardBackup {

    private static final int MAGIC = 0x474D4742; // "GMGB"
    private static final int VERSION = 1;
    private static final int PAGE = 500;

    /** What an export produced: the file's bytes and one share per custodian. */
    public record Export(byte[] file, List<CustodianShare> custodians, int keys) {
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
        String id = HexFormat.of().formatHex(GmRandom.bytes(6));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int count = 0;
        try (DataOutputStream out = new DataOutputStream(body)) {
            long after = 0;
            for (List<KeyRecord> page; !(page = store.keysAfter(after, PAGE)).isEmpty(); ) {
                for (KeyRecord k : page) {
                    after = k.keyId();
                    if (k.state() == KeyState.DESTROYED) {
                        continue;
                    }
                    try (OpenedShare opened = store.openShareForBackup(k.keyId())) {
                        byte[] share = opened.share().toBytes();
                        out.writeUTF(k.account());
                        out.writeUTF(k.device());
                        out.writeUTF(k.purpose().name());
                        out.writeUTF(k.state().name());
                        out.writeShort(share.length);
                        out.write(share);
                        Arrays.fill(share, (byte) 0);
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] header = header(id, threshold, custodians, count, Instant.now());
        byte[] key = GmRandom.bytes(16);
        byte[] nonce = GmRandom.bytes(12);
        byte[] plain = body.toByteArray();
        byte[] sealed = Sm4.gcmEncrypt(key, nonce, header, plain);
        Arrays.fill(plain, (byte) 0);
        List<CustodianShare> shares = new ArrayList<>();
        for (ShamirSharing.Share s : ShamirSharing.split(key, threshold, custodians)) {
            shares.add(new CustodianShare(id, s));
        }
        Arrays.fill(key, (byte) 0);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(file)) {
            out.writeInt(header.length);
            out.write(header);
            out.write(nonce);
            out.write(sealed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Export(file.toByteArray(), shares, count);
    }

    /** The backup id and threshold M from a file's header, so custodians know whose shares are needed. */
    public static String describe(byte[] file) {
        Header h = parse(file);
        return "backup " + h.id + " of " + h.count + " keys, " + h.threshold + "-of-" + h.custodians + ", made " + h.created;
    }

    /** Restores into {@code target} (accounts and devices are created as needed). */
    public static Restored restore(byte[] file, List<String> custodianShares, ShardStore target, String actor) {
        Header h = parse(file);
        List<ShamirSharing.Share> shares = new ArrayList<>();
        for (int i = 0; i < custodianShares.size(); i++) {
            shares.add(CustodianShare.decode(custodianShares.get(i), h.id, i + 1).share());
        }
        if (shares.stream().map(ShamirSharing.Share::x).distinct().count() < h.threshold) {
            throw new KeystoreException(KeystoreErrors.BACKUP_TOO_FEW_SHARES, "backup " + h.id + " needs " + h.threshold
                    + " different custodian shares, got " + shares.stream().map(ShamirSharing.Share::x).distinct().count());
        }
        byte[] key = ShamirSharing.combine(shares);
        byte[] plain;
        try {
            plain = Sm4.gcmDecrypt(key, h.nonce, h.header, h.sealed);
        } catch (GmCryptoException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_TAMPERED,
                    "backup " + h.id + " does not decrypt: the file was altered or a share is wrong", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        int restored = 0;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            for (int i = 0; i < h.count; i++) {
                String account = in.readUTF();
                String device = in.readUTF();
                io.gmgate.keystore.ShareBinding.Purpose purpose = io.gmgate.keystore.ShareBinding.Purpose.valueOf(in.readUTF());
                KeyState state = KeyState.valueOf(in.readUTF());
                byte[] bytes = in.readNBytes(in.readUnsignedShort());
                ensure(target, account, device, actor);
                ServerKeyShare share = ServerKeyShare.fromBytes(bytes);
                Arrays.fill(bytes, (byte) 0);
                KeyRecord k = target.storeKey(account, device, purpose, share, actor);
                share.destroy();
                if (state != KeyState.ACTIVE) {
                    target.changeState(k.keyId(), k.rowVersion(), state, actor, "restored from backup " + h.id);
                }
                restored++;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeystoreException ke) {
                throw ke;
            }
            throw new KeystoreException(KeystoreErrors.BACKUP_TAMPERED, "backup " + h.id + " content: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return new Restored(restored, h.id);
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

    private record Header(byte[] header, String id, int threshold, int custodians, int count, Instant created, byte[] nonce,
                          byte[] sealed) {
    }

    private static byte[] header(String id, int m, int n, int count, Instant created) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(id);
            out.writeByte(m);
            out.writeByte(n);
            out.writeInt(count);
            out.writeLong(created.toEpochMilli());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    private static Header parse(byte[] file) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file))) {
            int n = in.readInt();
            if (n < 16 || n > 256) {
                throw new IOException("header of " + n + " bytes");
            }
            byte[] header = in.readNBytes(n);
            DataInputStream h = new DataInputStream(new ByteArrayInputStream(header));
            if (h.readInt() != MAGIC || h.readInt() != VERSION) {
                throw new IOException("not a gmgate backup of version " + VERSION);
            }
            String id = h.readUTF();
            int m = h.readUnsignedByte();
            int c = h.readUnsignedByte();
            int count = h.readInt();
            Instant created = Instant.ofEpochMilli(h.readLong());
            byte[] nonce = in.readNBytes(12);
            byte[] sealed = in.readAllBytes();
            if (nonce.length != 12 || sealed.length < 16) {
                throw new IOException("truncated");
            }
            return new Header(header, id, m, c, count, created, nonce, sealed);
        } catch (IOException e) {
            throw new KeystoreException(KeystoreErrors.BACKUP_TAMPERED, "backup file: " + e.getMessage(), e);
        }
    }
}
