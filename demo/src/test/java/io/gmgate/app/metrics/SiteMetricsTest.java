package io.gmgate.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.gateway.LoginPhases;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The meters of a real site after a real enrolment and co-signed login (issues 16 and 17): the cosign
 * node's /metrics on its admin listener carries the requests, outcomes and phase timers with the right
 * labels, and the gateway's /metrics has every login phase populated.
 */
class SiteMetricsTest {

    private static DemoSite site;

    @BeforeAll
    static void enrolAndLogIn() throws Exception {
        site = new DemoSite();
        char[] password = "Metrics-Passw0rd-2".toCharArray();
        site.addTrader("9100002", password);
        GmgateClient client = new GmgateClient(new GmgateClient.Options(
                List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("metrics-terminal"), Duration.ofSeconds(3), Duration.ofSeconds(20), 1_000));
        client.enroll("9100002", password, "metrics", "123456".toCharArray());
        try (TlcpSocket s = client.login(password, "123456".toCharArray()).connect()) {
            s.getOutputStream().write("LOGIN 9100002\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertNotNull(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
        }
        // and a login with the wrong password, refused by the cosign node
        assertThrows(RuntimeException.class, () -> client.login("Wrong-Passw0rd-9".toCharArray(), "123456".toCharArray()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of {@code name} whose labels include all of {@code labels}, as lines of the scrape. */
    private static List<Double> samples(String scrape, String name, Map<String, String> labels) {
        List<Double> out = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
            if (labels.entrySet().stream().allMatch(e -> labelPart.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                out.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    private static double sum(String scrape, String name, Map<String, String> labels) {
        List<Double> s = samples(scrape, name, labels);
        assertTrue(!s.isEmpty(), name + labels + " is exported:\n" + scrape);
        return s.stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void theCosignNodeCountsAndTimesTheEnrolmentAndTheLogin() throws Exception {
        HttpResponse<String> r = get(site.cosignAdminPort(), "/metrics");
        assertEquals(200, r.statusCode());
        String m = r.body();
        assertTrue(sum(m, "gmgate_cosign_requests_total", Map.of("op", "login", "code", "ok")) >= 2, m);
        assertTrue(sum(m, "gmgate_cosign_requests_total", Map.of("op", "login", "code", "COSIGN-110")) >= 1, m);
        assertTrue(sum(m, "gmgate_cosign_requests_total", Map.of("op", "enrol/keys", "code", "ok")) >= 1, m);
        assertTrue(sum(m, "gmgate_cosign_requests_total", Map.of("op", "sign", "code", "ok")) >= 1, m);
        assertTrue(sum(m, "gmgate_cosign_logins_total", Map.of("outcome", "ok")) >= 2);
        assertTrue(sum(m, "gmgate_cosign_logins_total", Map.of("outcome", "failed")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_enrolments_total", Map.of("outcome", "ok")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_certificate_applications_total", Map.of("outcome", "ok")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "http", "op", "login")) >= 3);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "http", "op", "sign")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "audit_commit", "op", "sign")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "pg_read", "op", "login")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "pg_write")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_count", Map.of("phase", "card", "op", "sign")) >= 1);
        assertTrue(sum(m, "gmgate_cosign_phase_seconds_bucket", Map.of("phase", "http", "op", "sign")) >= 1,
                "buckets, for histogram_quantile across pods");
        assertEquals(1, samples(m, "gmgate_cosign_phase_seconds_bucket", Map.of("phase", "http", "op", "sign", "le", "+Inf")).size());
        // p50 and p99 on the node itself, for the console and the benchmarks (Prometheus takes them from the buckets)
        var p = site.cosignMetrics().find("gmgate.cosign.phase").tags("phase", "http", "op", "sign").timer().takeSnapshot()
                .percentileValues();
        assertEquals(List.of(0.5, 0.99), java.util.Arrays.stream(p).map(v -> v.percentile()).toList());
        assertEquals(0.0, sum(m, "gmgate_cosign_ca_breaker_state", Map.of("line", "embedded")));
        assertEquals(1.0, sum(m, "gmgate_cosign_ca_lines_up", Map.of()));
        assertEquals(0.0, sum(m, "gmgate_cosign_db_connections_in_use", Map.of()), "every connection went back");
        assertTrue(sum(m, "gmgate_cosign_db_acquire_seconds_count", Map.of()) >= 1);
        assertEquals(200, get(site.cosignAdminPort(), "/health/ready").statusCode());
    }

    @Test
    void aGatewayLoginPopulatesEveryLoginPhase() throws Exception {
        int admin = site.node().port("admin");
        // the online registry's write completes just after the relay opened
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String m = get(admin, "/metrics").body();
        while (samples(m, "gmgate_login_phase_seconds_count", Map.of("phase", LoginPhases.CLUSTER_WRITE)).stream()
                .mapToDouble(Double::doubleValue).sum() < 2 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
            m = get(admin, "/metrics").body();
        }
        for (String phase : LoginPhases.PHASES) {
            assertTrue(sum(m, "gmgate_login_phase_seconds_count", Map.of("phase", phase)) >= 1, phase + " was timed:\n" + m);
            assertTrue(sum(m, "gmgate_login_phase_seconds_bucket", Map.of("phase", phase)) >= 1, phase + " has buckets");
        }
        assertTrue(sum(m, "gmgate_login_phase_seconds_count", Map.of("phase", LoginPhases.GATE_LOOKUP)) >= 2,
                "each of the gate's lookups is a sample");
    }
}
