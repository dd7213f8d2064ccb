package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.testkit.RestartablePg;
import io.vertx.core.json.JsonObject;

/**
 * What a terminal sees when a dependency fails (docs/drills.md, C4): the database down is KEY-101
 * with 503 and Retry-After, and the node works again when it is back; an overloaded node answers
 * COSIGN-122 with Retry-After instead of queueing without bound.
 */
class DependencyFailureTest {

    @TempDir
    Path dir;

    @Test
    void theDatabaseDownIsKey101AndTheNodeRecoversWhenItIsBack() {
        try (RestartablePg pg = new RestartablePg()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(pg.jdbcUrl());
            try (CosignCluster cluster = new CosignCluster(ds, dir, 1, s -> s)) {
                cluster.trader("sam", "sam-password-1");
                Terminal t = cluster.terminal("sam", "pc-1", 0);
                t.login("sam-password-1");
                t.enrol();

                pg.stop();
                Api.Response down = t.call("sign", new JsonObject().put("keyId", t.signKeyId)
                        .put("request", Terminal.b64(ClientSigning.start(t.signShare, BigInteger.ONE).request().toBytes())));
                assertEquals(503, down.status(), down::toString);
                assertEquals("KEY-101", down.code());
                assertNotNull(down.retryAfter());
                assertNotNull(down.body().getString("nonce"), "the session lives on; the next nonce comes with the error");
                assertEquals(503, Api.post(cluster.port(0), "login", new JsonObject().put("account", "sam")
                        .put("password", "sam-password-1").put("device", "pc-1")).status());
                assertEquals(503, Api.raw(cluster.port(0), "GET", "/health/ready", null, null).status());

                pg.start();
                assertNotNull(t.sign("after the database came back"));
                assertEquals(200, Api.raw(cluster.port(0), "GET", "/health/ready", null, null).status());
            }
        }
    }

    @Test
    void anOverloadedNodeSaysWhenToComeBack() throws Exception {
        try (RestartablePg pg = new RestartablePg()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(pg.jdbcUrl());
            try (CosignCluster cluster = new CosignCluster(ds, dir, 1, s -> s.withMaxInFlight(1))) {
                cluster.trader("tom", "tom-password-1");
                ExecutorService pool = Executors.newFixedThreadPool(12);
                List<Future<Api.Response>> answers = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    answers.add(pool.submit(() -> Api.post(cluster.port(0), "login", new JsonObject().put("account", "tom")
                            .put("password", "tom-password-1").put("device", "pc-1"))));
                }
                int overloaded = 0;
                for (Future<Api.Response> f : answers) {
                    Api.Response r = f.get();
                    assertTrue(r.status() == 200 || r.status() == 503, r::toString);
                    if (r.status() == 503) {
                        assertEquals("COSIGN-122", r.code());
                        assertEquals("1", r.retryAfter());
                        overloaded++;
                    }
                }
                pool.shutdown();
                assertTrue(overloaded > 0, "twelve slow logins at once on a node that takes one at a time");
            }
        }
    }
}
