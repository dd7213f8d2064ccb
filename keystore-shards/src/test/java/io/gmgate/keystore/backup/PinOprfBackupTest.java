package io.gmgate.keystore.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.PinMaskedShare;
import io.gmgate.crypto.twoparty.PinOprf;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

/**
 * The custodian backup carries the devices' PIN OPRF keys k_s (design §11): after export, loss of the
 * database and the card, and a restore onto a new card, a device enrolled before the export unmasks
 * its store with its PIN and co-signs; a tampered k_s record is refused; version-1 exports still restore.
 */
class PinOprfBackupTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();
    @TempDir
    static Path dir;

    private static final char[] PIN = "271828".toCharArray();
    private static final byte[] CONTEXT = "9001\0desk".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ORDER = "buy 100 600519".getBytes(StandardCharsets.UTF_8);
    /** An export's end segment: kind, length, SM4-GCM over the u64 record count. */
    private static final int END_SEGMENT = 1 + 4 + 8 + 16;

    private static SoftCipherCard card;
    private static PgShardStore store;

    @BeforeAll
    static void setUp() {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.bin"), "oprf backup card".toCharArray());
        store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    /** A trader's enrolment: the server share stored, the client's share masked with the OPRF over his PIN. */
    private record Enrolled(KeyRecord key, byte[] maskedStore, ClientKeyShare client) {
    }

    private static Enrolled enrol(String account, String device) {
        store.createAccount(account, "t");
        store.createDevice(account, device, "t");
        KeyGenBinding b = new KeyGenBinding("s", account, device);
        ClientKeyGen gen = ClientKeyGen.start(b);
        TwoPartyServer.KeyGenResult server = TwoPartyServer.keyGen(b, gen.request());
        ClientKeyShare client = gen.finish(server.response());
        KeyRecord key = store.storeKey(account, device, Purpose.SIGN, server.share(), "enrolment");
        return new Enrolled(key, PinMaskedShare.maskWithOprf(client, mask(store, account, device, PIN)), client);
    }

    private static BigInteger mask(PgShardStore at, String account, String device, char[] pin) {
        PinOprf.Blinded blinded = PinOprf.blind(pin, CONTEXT);
        return blinded.finish(at.evaluatePinOprf(account, device, blinded.request(), "cosign"), "sign")[0];
    }

    private static List<String> three(ShardBackup.Export export) {
        return export.custodians().stream().limit(3).map(CustodianShare::encode).toList();
    }

    @Test
    void aDeviceEnrolledBeforeTheExportLogsInWithItsPinAndCoSignsAfterTheRestore() throws Exception {
        wipe();
        Enrolled trader = enrol("9001", "desk");
        ECPoint probe = Sm2Curve.multiplyG(Sm2Curve.randomScalar());
        ECPoint before = store.evaluatePinOprf("9001", "desk", probe, "cosign");

        ShardBackup.Export export = ShardBackup.export(store, 3, 5, "key-admin");
        assertEquals(1, export.keys());
        assertEquals(1, export.pinOprfKeys(), "the device's k_s is in the export");

        wipe(); // the database and the card are lost
        try (SoftCipherCard fresh = SoftCipherCard.init(dir.resolve("new-card-1.bin"), "replacement".toCharArray())) {
            PgShardStore target = new PgShardStore(PG.dataSource(), fresh, ShardStoreSettings.defaults());
            ShardBackup.Restored r = ShardBackup.restore(export.file(), three(export), target, "key-admin");
            assertEquals(1, r.keys());
            assertEquals(1, r.pinOprfKeys());
            assertTrue(r.carriesPinOprfKeys());
            assertEquals(before, target.evaluatePinOprf("9001", "desk", probe, "cosign"), "the same k_s, now under the new card");

            ClientKeyShare unmasked = PinMaskedShare.unmaskWithOprf(trader.maskedStore(), trader.client().jointKey(),
                    mask(target, "9001", "desk", PIN));
            assertArrayEquals(trader.client().toBytes(), unmasked.toBytes(), "the store from before the export unmasks with the PIN");
            ClientSigning signing = ClientSigning.start(unmasked, Sm2Signer.defaultId(), ORDER);
            Sm2Signature signature;
            try (OpenedShare server = target.openShare(target.keys("9001", "desk").get(0).keyId())) {
                signature = signing.finish(TwoPartyServer.sign(server.share(), signing.request()));
            }
            assertTrue(Sm2Signer.verify(trader.key().publicKey(), Sm2Signer.defaultId(), ORDER, signature), "co-signed under P");

            ClientKeyShare wrongPin = PinMaskedShare.unmaskWithOprf(trader.maskedStore(), trader.client().jointKey(),
                    mask(target, "9001", "desk", "271829".toCharArray()));
            assertFalse(Arrays.equals(trader.client().toBytes(), wrongPin.toBytes()), "control: another PIN still gives another share");
        }
    }

    @Test
    void aTamperedOrDroppedPinOprfRecordIsRefusedAndNothingIsRestored() throws Exception {
        wipe();
        enrol("9002", "desk");
        ShardBackup.Export export = ShardBackup.export(store, 2, 3, "key-admin");
        List<String> shares = export.custodians().stream().limit(2).map(CustodianShare::encode).toList();
        byte[] file = export.file();
        // the k_s record is the last segment before the end marker: kind, u16 account, u16 device, u16 + 32 key, GCM tag
        int sealed = 1 + 2 + 4 + 2 + 4 + 2 + 32 + 16;
        int start = file.length - END_SEGMENT - 5 - sealed;
        assertEquals(0, file[start], "a record segment");
        assertEquals(sealed, ByteBuffer.wrap(file, start + 1, 4).getInt(), "the k_s record's length");

        byte[] flipped = file.clone();
        flipped[start + 5 + sealed - 20] ^= 0x01; // inside the sealed k_s
        byte[] dropped = new byte[file.length - 5 - sealed];
        System.arraycopy(file, 0, dropped, 0, start);
        System.arraycopy(file, start + 5 + sealed, dropped, start, END_SEGMENT);

        wipe();
        try (SoftCipherCard fresh = SoftCipherCard.init(dir.resolve("new-card-2.bin"), "replacement".toCharArray())) {
            PgShardStore target = new PgShardStore(PG.dataSource(), fresh, ShardStoreSettings.defaults());
            for (byte[] bad : List.of(flipped, dropped)) {
                KeystoreException e = assertThrows(KeystoreException.class, () -> ShardBackup.restore(bad, shares, target, "t"));
                assertEquals(KeystoreErrors.BACKUP_TAMPERED, e.errorCode(), e.getMessage());
                assertTrue(target.keysAfter(0, 10).isEmpty(), "nothing restored");
                assertTrue(target.openPinOprfKeysForBackup("", "", 10).isEmpty(), "no k_s restored");
            }
            ShardBackup.Restored r = ShardBackup.restore(file, shares, target, "t");
            assertEquals(1, r.pinOprfKeys(), "control: the untouched export restores");
        }
    }

    @Test
    void anExportWrittenBeforeTheOprfKeysStillRestoresAndSaysItHasNone() throws Exception {
        wipe();
        Enrolled trader = enrol("9003", "desk");
        byte[] share;
        try (OpenedShare o = store.openShareForBackup(trader.key().keyId())) {
            share = o.share().toBytes();
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        // exactly what ShardBackup wrote as "gmgate key shares v1": untagged key records only
        BackupExporter.Export v1 = BackupExporter.export(out -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream record = new DataOutputStream(bytes)) {
                record.writeUTF("9003");
                record.writeUTF("desk");
                record.writeUTF(Purpose.SIGN.name());
                record.writeUTF("ACTIVE");
                record.writeShort(share.length);
                record.write(share);
            }
            out.write(bytes.toByteArray());
        }, ShardBackup.CONTENT_TYPE_V1, 2, 3, file);
        List<String> shares = v1.shares().stream().limit(2).map(CustodianShare::encode).toList();

        wipe();
        try (SoftCipherCard fresh = SoftCipherCard.init(dir.resolve("new-card-3.bin"), "replacement".toCharArray())) {
            PgShardStore target = new PgShardStore(PG.dataSource(), fresh, ShardStoreSettings.defaults());
            ShardBackup.Restored r = ShardBackup.restore(file.toByteArray(), shares, target, "t");
            assertEquals(1, r.keys());
            assertEquals(0, r.pinOprfKeys());
            assertFalse(r.carriesPinOprfKeys(), "an old export says it has no PIN OPRF keys");
            try (OpenedShare o = target.openShare(target.keys("9003", "desk").get(0).keyId())) {
                assertArrayEquals(share, o.share().toBytes());
            }
        } finally {
            Arrays.fill(share, (byte) 0);
        }
    }

    private static void wipe() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE ks_shares, ks_key_certificates, ks_pin_counters, ks_pin_oprf_keys, ks_keys, ks_devices, ks_accounts CASCADE");
        }
    }
}
