package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.function.Executable;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.AuditRecord;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;

/**
 * The site the lock and key-row attacks (docs/security.md, "Key rows and locks") run against: a whole demo site in
 * this process (SDK terminals, gateway with its admin API, cosign node, key store, CA), plus the
 * attacker's tools — SQL on the database and the key operator's admin calls.
 */
final class KeyRowAttackSite implements AutoCloseable {

    static final char[] PIN = "135246".toCharArray();
    static final String DEVICE = "desk";

    final DemoSite site;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    KeyRowAttackSite() throws IOException {
        site = new DemoSite();
    }

    static char[] password(String account) {
        return ("Trader-Passw0rd-" + account).toCharArray();
    }

    GmgateClient terminal(String account) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("trader-" + account), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
    }

    GmgateClient enrolled(String account) {
        site.addTrader(account, password(account));
        GmgateClient c = terminal(account);
        c.enroll(account, password(account), DEVICE, PIN);
        return c;
    }

    static String signSerial(DeviceRecord r) {
        return GmPem.certificateFromDer(r.signChain().get(0)).getSerialNumber().toString(16);
    }

    /** The key operator's certificate lock or unlock through the gateway's admin API; returns the HTTP status. */
    int operator(String serial, boolean lock) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + site.node().port("admin")
                        + "/admin/v1/certificates/" + serial + (lock ? "/lock" : "/unlock")))
                .header("Authorization", "Bearer " + site.keyOperatorToken()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"attack test\"}", StandardCharsets.UTF_8)).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.statusCode();
    }

    /** The attacker's SQL, straight at the database (someone with write access to it). */
    void sql(String statement) throws SQLException {
        try (Connection c = site.database().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    List<KeyRecord> keys(String account) {
        return site.shards().keys(account, DEVICE);
    }

    /** Runs the call, which must fail with {@code code}; returns the failure. */
    static GmgateException refused(String code, Executable call) {
        GmgateException e = assertThrows(GmgateException.class, call);
        assertEquals(code, e.errorCode().code(), e.getMessage());
        return e;
    }

    /** The audit log has a record of {@code action} whose detail starts with {@code code} and names {@code what}. */
    void assertAudited(String action, String code, String what) {
        long last = site.shards().audit().verify().lastSeq();
        List<AuditRecord> all = site.shards().audit().read(1, (int) Math.min(10_000, last));
        assertTrue(all.stream().anyMatch(r -> r.event().action().equals(action) && r.event().detail().startsWith(code)
                && r.event().detail().contains(what)), "no " + action + " record with " + code + " naming " + what);
    }

    /** A legitimate trader still enrols, logs in and signs: the node keeps serving. */
    void stillServes(String account) {
        GmgateClient c = enrolled(account);
        try (GmgateClient.Session s = c.login(password(account), PIN)) {
            byte[] order = ("ORDER " + account + " rb2605 BUY 1").getBytes(StandardCharsets.US_ASCII);
            assertTrue(GmgateClient.verify(s.signCertificate(), order, s.sign(order)));
        }
    }

    @Override
    public void close() throws IOException {
        site.close();
    }
}
