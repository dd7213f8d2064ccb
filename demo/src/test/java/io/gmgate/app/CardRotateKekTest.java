package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KekRotation;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.testkit.PgSchema;
import picocli.CommandLine;

/**
 * {@code gmgate card rotate-kek} on real embedded PostgreSQL and a soft card file (docs/keystore.md): every
 * wrapped key and sealed row moves, rows edited before the rotation stay detected, a second run
 * resumes, both steps are audited; and on a running site an enrolled trader still logs in and
 * co-signs after the rotation.
 */
class CardRotateKekTest {

    private static final String PASSPHRASE = "rotate kek test passphrase";

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void theCommandMovesEveryRowLeavesEditedRowsDetectedResumesAndAudits() throws Exception {
        Path config = site();
        Path cardFile = dir.resolve("site.gmc");
        ECPoint probe = Sm2Curve.multiplyG(Sm2Curve.randomScalar());
        ECPoint evaluated;
        KeyRecord honest;
        KeyRecord edited;
        try (SoftCipherCard card = SoftCipherCard.open(cardFile, PASSPHRASE.toCharArray())) {
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            honest = key(store, "8001");
            evaluated = store.evaluatePinOprf("8001", "pc", probe, "cosign");
            store.recordPinFailure("8001", "pc");
            KeyRecord gone = key(store, "8002");
            store.destroy(gone.keyId(), gone.rowVersion(), "officer", "left");
            edited = key(store, "8003");
            store.changeState(edited.keyId(), edited.rowVersion(), io.gmgate.keystore.KeyState.LOCKED, "officer", "fraud check");
        }
        // before the rotation, someone with SQL access unlocks 8003's key behind the store's back
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE ks_keys SET state = 'ACTIVE', lock_reasons = '{}' WHERE key_id = " + edited.keyId());
        }

        String[] first = run(1, "card", "rotate-kek", "--config", config.toString(), "--batch", "2");
        assertTrue(first[0].contains("new KEK:  kek-1v2 is current"), first[0]);
        assertTrue(first[1].contains("KEY-116 1 rows did not verify"), first[1]);
        assertTrue(first[1].contains(KekRotation.KEY_ROWS + " " + edited.keyId()), first[1]);
        assertFalse(String.join("", first).contains(PASSPHRASE), "no secret in the output");

        try (SoftCipherCard card = SoftCipherCard.open(cardFile, PASSPHRASE.toCharArray())) {
            assertEquals(new KekId(1, 2), card.currentKek(1), "the new version was written to the card file");
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            KekRotation.Progress p = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 10).progress();
            assertEquals(1, p.remaining(), "only the edited key row stays under v1: " + p);
            assertEquals(0, p.of(KekRotation.SERVER_SHARES).remaining());
            assertEquals(0, p.of(KekRotation.PIN_OPRF_KEYS).remaining());
            assertEquals(0, p.of(KekRotation.PIN_COUNTERS).remaining());
            assertEquals(0, p.of(KekRotation.TOMBSTONES).remaining());
            try (OpenedShare o = store.openShare(honest.keyId())) {
                assertEquals(honest.keyId(), o.key().keyId());
            }
            assertEquals(evaluated, store.evaluatePinOprf("8001", "pc", probe, "cosign"), "the same k_s after the re-wrap");
            assertEquals(2, store.recordPinFailure("8001", "pc").failures(), "the re-sealed counter still counts");
            KeystoreException still = assertThrows(KeystoreException.class, () -> store.openShare(edited.keyId()));
            assertEquals(KeystoreErrors.ROW_SEAL_BROKEN, still.errorCode(), "the edit made before the rotation is still refused");
            List<String> actions = store.audit().read(1, 1000).stream().map(r -> r.event().action()).toList();
            assertTrue(actions.contains("kek-new-version") && actions.contains("kek-rotate"), actions.toString());
        }
        String[] verify = run(1, "audit", "verify", "--db-url", url(), "--db-user", PG.server().user(), "--card", cardFile.toString(),
                "--passphrase-file", dir.resolve("site.pass").toString());
        assertTrue(verify[1].contains("KEY-130 key " + edited.keyId()), verify[1]);

        // --resume makes no new version and touches nothing that already moved; the edited row is reported again
        String[] again = run(1, "card", "rotate-kek", "--config", config.toString(), "--resume");
        assertFalse(again[0].contains("new KEK"), again[0]);
        assertTrue(again[0].contains("moved:    0 rows"), again[0]);
        // once a key officer has dealt with the row (here: the SQL edit is undone), the resumed rotation finishes
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE ks_keys SET state = 'LOCKED', lock_reasons = '{OPERATOR}' WHERE key_id = " + edited.keyId());
        }
        String[] done = run(0, "card", "rotate-kek", "--config", config.toString(), "--resume");
        assertTrue(done[0].contains("moved:    1 rows"), done[0]);
        assertTrue(done[0].contains("protect no key store row any more"), done[0]);
        try (SoftCipherCard card = SoftCipherCard.open(cardFile, PASSPHRASE.toCharArray())) {
            assertEquals(List.of(new KekId(1, 1), new KekId(1, 2)), card.keks(), "--resume made no new version");
        }
    }

    @Test
    void anEnrolledTraderStillLogsInAndCoSignsAfterTheSiteRotatesOnline() throws Exception {
        char[] pin = "135246".toCharArray();
        char[] password = "Trader-Passw0rd-8200001".toCharArray();
        try (DemoSite site = new DemoSite()) {
            site.addTrader("8200001", password);
            GmgateClient terminal = new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                    List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()), site.directory().resolve("trader"),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
            terminal.enroll("8200001", password, "desk", pin);
            byte[] order = "ORDER c1 rb2605 BUY 1 LIMIT 3500".getBytes(StandardCharsets.US_ASCII);
            try (GmgateClient.Session s = terminal.login(password, pin)) {
                assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
            }

            // the site's card is shared by its nodes as an HSM is: the new version is seen at once
            KekId target = site.card().rotateKek(1);
            KekRotation.Progress end = new KekRotation(site.database(), site.card(), ShardStoreSettings.defaults(), 5).run("test");
            assertTrue(end.finished() && end.refused().isEmpty(), end.toString());
            assertEquals(target, end.target());
            assertTrue(end.of(KekRotation.SERVER_SHARES).done() >= 2 && end.of(KekRotation.KEY_ROWS).done() >= 2
                    && end.of(KekRotation.PIN_COUNTERS).done() >= 1 && end.of(KekRotation.PIN_OPRF_KEYS).done() >= 1, end.toString());

            try (GmgateClient.Session s = terminal.login(password, pin)) {
                assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)), "co-signing with the re-wrapped share");
            }
        }
    }

    private static KeyRecord key(PgShardStore store, String account) {
        store.createAccount(account, "t");
        store.createDevice(account, "pc", "t");
        KeyGenBinding b = new KeyGenBinding("s", account, "pc");
        ServerKeyShare share = TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share();
        return store.storeKey(account, "pc", Purpose.SIGN, share, "t");
    }

    private static String url() {
        return PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name();
    }

    private Path site() throws Exception {
        KeystoreSchema.migrate(PG.dataSource());
        Path card = dir.resolve("site.gmc");
        SoftCipherCard.init(card, PASSPHRASE.toCharArray()).close();
        Path pass = Files.writeString(dir.resolve("site.pass"), PASSPHRASE + "\n");
        return Files.writeString(dir.resolve("site.yaml"), String.join("\n",
                "node: {name: rotate-site}",
                "database: {url: \"" + url() + "\", user: " + PG.server().user() + ", poolSize: 2}",
                "card: {type: soft, path: \"" + card + "\", passphraseFile: \"" + pass + "\"}", ""));
    }

    private static String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cli.execute(args), out + " / " + err);
        return new String[] {out.toString(), err.toString()};
    }
}
