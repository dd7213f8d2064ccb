package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.testkit.PgSchema;
import picocli.CommandLine;

class AuditCommandTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void verifyPassesOnAnIntactChainAndNamesTheEditedRecord() throws IOException, SQLException {
        Path cardFile = dir.resolve("card.bin");
        Path pass = Files.writeString(dir.resolve("pass"), "audit operator passphrase\n");
        KeystoreSchema.migrate(PG.dataSource());
        try (SoftCipherCard card = SoftCipherCard.init(cardFile, "audit operator passphrase".toCharArray())) {
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            store.createAccount("alice", "officer");
            store.createDevice("alice", "pc-1", "officer");
            store.createDevice("alice", "pc-2", "officer");
        }
        String url = PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name();
        Path dbPass = Files.writeString(dir.resolve("dbpass"), PG.server().password() + "\n");
        String[] args = {"audit", "verify", "--db-url", url, "--db-user", PG.server().user(), "--db-password-file", dbPass.toString(),
                "--card", cardFile.toString(), "--passphrase-file", pass.toString()};

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, args), err.toString());
        assertTrue(out.toString().contains("audit chain intact: 3 records"), out.toString());
        assertTrue(out.toString().contains("key rows: every seal, tombstone and audited row version holds"), out.toString());

        // a PIN counter set back in SQL: the chain is intact, the row scan names the row (docs/security.md, "Key rows and locks")
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE ks_pin_counters SET failures = 4 WHERE device = 'pc-2'");
        }
        out = new StringWriter();
        err = new StringWriter();
        assertEquals(1, run(out, err, args));
        assertTrue(out.toString().contains("key rows: 1 tampered"), out.toString());
        assertTrue(err.toString().contains("KEY-130 the PIN counter of alice/pc-2"), err.toString());
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE ks_pin_counters SET failures = 0 WHERE device = 'pc-2'");
        }

        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE ks_audit DISABLE TRIGGER USER");
            st.execute("UPDATE ks_audit SET device = 'pc-9' WHERE seq = 2");
        }
        out = new StringWriter();
        err = new StringWriter();
        assertEquals(1, run(out, err, args));
        assertTrue(out.toString().contains("BROKEN at #2"), out.toString());
        assertTrue(err.toString().contains("KEY-109") && err.toString().contains("#2"), err.toString());

        Path wrong = Files.writeString(dir.resolve("wrong"), "not the passphrase\n");
        args[args.length - 1] = wrong.toString();
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, args));
        assertTrue(err.toString().contains("KEY-021"), err.toString());
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
