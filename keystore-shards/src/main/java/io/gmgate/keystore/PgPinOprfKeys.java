package io.gmgate.keystore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.twoparty.PinOprf;
import io.gmgate.jdbc.Jdbc;

/**
 * The per-device PIN OPRF keys k_s (V11, design §11), sealed like server shares. A device's key is
 * made on its first evaluation; two nodes making it at once keep the first row written. The plain key
 * lives only inside {@link #evaluate} and is zeroed there.
 */
final class PgPinOprfKeys {

    private final Jdbc db;
    private final ShareSealer sealer;
    private final PgAuditLog audit;

    PgPinOprfKeys(Jdbc db, ShareSealer sealer, PgAuditLog audit) {
        this.db = db;
        this.sealer = sealer;
        this.audit = audit;
    }

    ECPoint evaluate(String account, String device, ECPoint blinded, String actor) {
        ECPoint b = Sm2Curve.requireValidPoint(blinded);
        SealedShare sealed = load(account, device);
        if (sealed == null) {
            create(account, device, actor);
            sealed = load(account, device);
        }
        byte[] plain = sealer.open(associatedData(account, device), sealed, "PIN OPRF key of " + account + "/" + device);
        try {
            return PinOprf.evaluate(new BigInteger(1, plain), b);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The keys after device ({@code afterAccount}, {@code afterDevice}) in (account, device) order, opened
     * for the custodian backup only; at most {@code limit}. The caller closes each.
     */
    List<OpenedPinOprfKey> openForBackup(String afterAccount, String afterDevice, int limit) {
        record Row(String account, String device, SealedShare sealed) {
        }
        List<Row> rows = db.read("read PIN OPRF keys for a backup", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account, device, kek_index, kek_version, wrapped_data_key, nonce, "
                    + "ciphertext FROM ks_pin_oprf_keys WHERE (account, device) > (?, ?) ORDER BY account, device LIMIT ?")) {
                ps.setString(1, afterAccount);
                ps.setString(2, afterDevice);
                ps.setInt(3, limit);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getString(1), rs.getString(2), new SealedShare(new KekId(rs.getInt(3), rs.getInt(4)),
                                rs.getBytes(5), rs.getBytes(6), rs.getBytes(7))));
                    }
                }
                return out;
            }
        });
        List<OpenedPinOprfKey> opened = new ArrayList<>();
        try {
            for (Row r : rows) {
                opened.add(new OpenedPinOprfKey(r.account(), r.device(), sealer.open(associatedData(r.account(), r.device()), r.sealed(),
                        "PIN OPRF key of " + r.account() + "/" + r.device())));
            }
        } catch (RuntimeException e) {
            opened.forEach(OpenedPinOprfKey::close);
            throw e;
        }
        return opened;
    }

    /**
     * Puts back a device's k_s from the custodian backup, sealed under this store's card and audited.
     * KEY-107 if the device already has one (a restore goes into an empty store), KEY-111 if the key is
     * not a scalar in [1, n−1].
     */
    void restore(String account, String device, byte[] key, String actor) {
        BigInteger ks = new BigInteger(1, key);
        if (key.length != 32 || ks.signum() <= 0 || ks.compareTo(Sm2Curve.N) >= 0) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + db.name() + "] the PIN OPRF key of "
                    + account + "/" + device + " is not a scalar in [1, n-1]");
        }
        SealedShare sealed = sealer.seal(associatedData(account, device), key);
        db.tx("restore PIN OPRF key of " + account + "/" + device, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ks_pin_oprf_keys (account, device, kek_index, kek_version, "
                    + "wrapped_data_key, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, device) DO NOTHING")) {
                ps.setString(1, account);
                ps.setString(2, device);
                ps.setInt(3, sealed.kek().index());
                ps.setInt(4, sealed.kek().version());
                ps.setBytes(5, sealed.wrappedDataKey());
                ps.setBytes(6, sealed.nonce());
                ps.setBytes(7, sealed.ciphertext());
                if (ps.executeUpdate() != 1) {
                    throw new KeystoreException(KeystoreErrors.ALREADY_EXISTS, "[KEY " + db.name() + "] " + account + "/"
                            + device + " already has a PIN OPRF key; restore into an empty key store");
                }
            }
            audit.append(c, new AuditEvent(actor, "pin-oprf-key-restore", account, device, null, null,
                    "restored from the custodian backup, sealed under " + sealed.kek(), null));
            return null;
        });
    }

    private SealedShare load(String account, String device) {
        return db.read("read PIN OPRF key of " + account + "/" + device, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kek_index, kek_version, wrapped_data_key, nonce, ciphertext "
                    + "FROM ks_pin_oprf_keys WHERE account = ? AND device = ?")) {
                ps.setString(1, account);
                ps.setString(2, device);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new SealedShare(new KekId(rs.getInt(1), rs.getInt(2)), rs.getBytes(3), rs.getBytes(4),
                            rs.getBytes(5)) : null;
                }
            }
        });
    }

    private void create(String account, String device, String actor) {
        BigInteger ks = Sm2Curve.randomScalar();
        byte[] plain = Sm2Curve.encodeScalar(ks);
        SealedShare sealed;
        try {
            sealed = sealer.seal(associatedData(account, device), plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        db.tx("create PIN OPRF key of " + account + "/" + device, c -> {
            int made;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ks_pin_oprf_keys (account, device, kek_index, kek_version, "
                    + "wrapped_data_key, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, device) DO NOTHING")) {
                ps.setString(1, account);
                ps.setString(2, device);
                ps.setInt(3, sealed.kek().index());
                ps.setInt(4, sealed.kek().version());
                ps.setBytes(5, sealed.wrappedDataKey());
                ps.setBytes(6, sealed.nonce());
                ps.setBytes(7, sealed.ciphertext());
                made = ps.executeUpdate();
            }
            if (made == 1) {
                audit.append(c, new AuditEvent(actor, "pin-oprf-key-create", account, device, null, null,
                        "sealed under " + sealed.kek(), null));
            }
            return null;
        });
    }

    /** Length-prefixed after a domain label, apart from every share binding's encoding. */
    private static byte[] associatedData(String account, String device) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("gmgate pin oprf key v1");
            byte[] a = account.getBytes(StandardCharsets.UTF_8);
            byte[] d = device.getBytes(StandardCharsets.UTF_8);
            out.writeInt(a.length);
            out.write(a);
            out.writeInt(d.length);
            out.write(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
