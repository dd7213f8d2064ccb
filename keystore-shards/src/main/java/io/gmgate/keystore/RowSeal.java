package io.gmgate.keystore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;

/**
 * A cipher-card MAC over the columns of a key store row that decide what a key may do (docs/security.md, "Key rows and locks"):
 * an UPDATE in SQL that unlocks a key, lifts one of its lock reasons, raises a version or lowers the PIN
 * counter no longer matches the seal, and only a node holding the card can make a new one. The seal is
 * stored as {@code kek index ‖ kek version ‖ MAC}, so a KEK rotation leaves old seals checkable.
 *
 * <p>What a seal cannot see is a whole earlier row put back, seal included; tombstones (destroyed keys)
 * and the audit chain's row versions ({@code [row n]}) catch that, see {@link RowScan}. New columns
 * join a seal by extending its input and the tag's version.
 */
final class RowSeal {

    private static final String KEY_ROW = "gmgate ks_keys row v1";
    private static final String COUNTER_ROW = "gmgate ks_pin_counters row v1";
    private static final String TOMBSTONE_ROW = "gmgate ks_key_tombstones row v1";

    private final CipherCard card;
    private final int kekIndex;

    RowSeal(CipherCard card, int kekIndex) {
        this.card = card;
        this.kekIndex = kekIndex;
    }

    byte[] key(KeyRecord k) {
        return seal(keyInput(k));
    }

    boolean keyMatches(KeyRecord k, byte[] seal) {
        return matches(keyInput(k), seal);
    }

    byte[] counter(String account, String device, int failures, boolean locked, long rowVersion) {
        return seal(counterInput(account, device, failures, locked, rowVersion));
    }

    boolean counterMatches(String account, String device, int failures, boolean locked, long rowVersion, byte[] seal) {
        return matches(counterInput(account, device, failures, locked, rowVersion), seal);
    }

    byte[] tombstone(long keyId, String account, String device, String purpose, int keyVersion) {
        return seal(tombstoneInput(keyId, account, device, purpose, keyVersion));
    }

    boolean tombstoneMatches(long keyId, String account, String device, String purpose, int keyVersion, byte[] seal) {
        return matches(tombstoneInput(keyId, account, device, purpose, keyVersion), seal);
    }

    private byte[] seal(byte[] input) {
        KekId kek = card.currentKek(kekIndex);
        byte[] mac = card.mac(kek, input);
        return ByteBuffer.allocate(8 + mac.length).putInt(kek.index()).putInt(kek.version()).put(mac).array();
    }

    /** False for a missing, short or wrong seal; a card that lost the seal's KEK version throws its own error. */
    private boolean matches(byte[] input, byte[] seal) {
        if (seal == null || seal.length < 9) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(seal);
        KekId kek = new KekId(b.getInt(), b.getInt());
        return card.verifyMac(kek, input, Arrays.copyOfRange(seal, 8, seal.length));
    }

    private static byte[] keyInput(KeyRecord k) {
        return encode(out -> {
            out.writeUTF(KEY_ROW);
            out.writeLong(k.keyId());
            out.writeUTF(k.account());
            out.writeUTF(k.device());
            out.writeUTF(k.purpose().name());
            out.writeInt(k.keyVersion());
            byte[] p = k.publicKey().encoded();
            out.writeInt(p.length);
            out.write(p);
            out.writeUTF(k.state().name());
            Set<String> reasons = new TreeSet<>();
            k.lockReasons().forEach(r -> reasons.add(r.name()));
            out.writeUTF(String.join(",", reasons));
            out.writeLong(k.rowVersion());
        });
    }

    private static byte[] counterInput(String account, String device, int failures, boolean locked, long rowVersion) {
        return encode(out -> {
            out.writeUTF(COUNTER_ROW);
            out.writeUTF(account);
            out.writeUTF(device);
            out.writeInt(failures);
            out.writeBoolean(locked);
            out.writeLong(rowVersion);
        });
    }

    private static byte[] tombstoneInput(long keyId, String account, String device, String purpose, int keyVersion) {
        return encode(out -> {
            out.writeUTF(TOMBSTONE_ROW);
            out.writeLong(keyId);
            out.writeUTF(account);
            out.writeUTF(device);
            out.writeUTF(purpose);
            out.writeInt(keyVersion);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
