package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.Vertx;

/** One node's registry on a real PostgreSQL, without a cluster: scope resolution and the shell's nudge. */
class ModeRegistryTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private Vertx vertx;
    private ModeRegistry registry;

    @BeforeAll
    static void migrate() {
        KeystoreSchema.migrate(PG.dataSource());
    }

    @BeforeEach
    void start() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE gm_access_modes, gm_access_mode_history");
        }
        vertx = Vertx.vertx();
        // a timer of one minute: anything seen sooner came by the event bus or PostgreSQL's notification
        registry = new ModeRegistry(vertx, new PgModeStore(PG.dataSource()), Clock.systemUTC(), Duration.ofMinutes(1),
                Optional.empty(), "sh");
        Await.result(registry.start());
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        Await.result(vertx.close());
    }

    @Test
    void aListenerOverridesItsSiteWhichOverridesTheCluster() throws Exception {
        registry.set(Scope.CLUSTER, AccessMode.ONE_WAY, "C.3", "alice", Optional.empty());
        registry.set(Scope.site("sh"), AccessMode.BYPASS, "C.2 at sh", "alice", Optional.empty());
        registry.set(Scope.listener("trading"), AccessMode.NORMAL, "trading stays GM", "alice", Optional.empty());
        Await.until("all three seen", () -> registry.view().size() == 3, Duration.ofSeconds(10));
        assertEquals(AccessMode.NORMAL, registry.effective("trading"));
        assertEquals(AccessMode.BYPASS, registry.effective("enrolment"), "no listener setting: the site's");
        assertEquals(AccessMode.BYPASS, registry.effective(Scope.site("sh")));
        assertEquals(AccessMode.ONE_WAY, registry.effective(Scope.site("bj")), "another site: the cluster's");
        assertEquals(AccessMode.ONE_WAY, registry.effective(Scope.CLUSTER));
        assertEquals("postgresql", registry.source());
    }

    @Test
    void aChangeMadeFromAShellArrivesWithoutWaitingForTheTimer() throws Exception {
        PgModeStore shell = new PgModeStore(PG.dataSource()); // what gmgate mode set does: PostgreSQL only
        long t0 = System.nanoTime();
        shell.set(Scope.CLUSTER, AccessMode.BYPASS, "C.1 drill from the bastion", "cli:alice", Optional.empty(),
                Clock.systemUTC().instant());
        long took = Await.until("the node sees BYPASS", () -> registry.effective("trading") == AccessMode.BYPASS,
                Duration.ofSeconds(20));
        System.out.println("shell change seen by the node after " + took + " ms (refresh timer: 60 s; nudge: PostgreSQL NOTIFY; "
                + "set took " + (System.nanoTime() - t0) / 1_000_000 + " ms in all)");
    }

    @Test
    void aNodeWithNeitherPostgresNorAClusterCopyRefusesToGuess() throws Exception {
        org.postgresql.ds.PGSimpleDataSource nowhere = new org.postgresql.ds.PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        Vertx lonely = Vertx.vertx();
        ModeRegistry r = new ModeRegistry(lonely, new PgModeStore(nowhere), Clock.systemUTC(), Duration.ofSeconds(1),
                Optional.empty(), "sh");
        try {
            Exception e = assertThrows(Exception.class, () -> Await.result(r.start()));
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            assertEquals(SessionErrors.NO_MODE_SOURCE, ((SessionException) cause).errorCode(), cause.toString());
        } finally {
            r.close();
            Await.result(lonely.close());
        }
    }
}
