package io.gmgate.perf.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The servers' own login phase timers, scraped from their Prometheus {@code /metrics} before and
 * after the measured window: {@code gmgate_login_phase_seconds} (gateway) and
 * {@code gmgate_cosign_phase_seconds} (cosign). Whatever series exist are printed as count and
 * mean over the window (from the _count and _sum deltas), with the _max gauge when exported; a
 * server that exports none, or no /metrics at all, is reported as such, not as a failure.
 */
final class ServerPhases {

    static final String GATEWAY = "gmgate_login_phase_seconds";
    static final String COSIGN = "gmgate_cosign_phase_seconds";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A scrape: each sample line's series (name and labels) and value, for the given metric; empty if none. */
    record Scrape(String url, String metric, Map<String, Double> samples, String problem) {
    }

    static Scrape scrape(String url, String metric) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new Scrape(url, metric, Map.of(), "HTTP " + r.statusCode());
            }
            Map<String, Double> out = new TreeMap<>();
            for (String line : r.body().split("\n")) {
                if (line.startsWith(metric) && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    try {
                        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException odd) {
                        // a line we do not understand is left out, not guessed at
                    }
                }
            }
            return new Scrape(url, metric, out, out.isEmpty() ? "no " + metric + " series" : "");
        } catch (java.io.IOException e) {
            return new Scrape(url, metric, Map.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(url, metric, Map.of(), "interrupted");
        }
    }

    /** Prints count and mean per series over the window between {@code before} and {@code after}. */
    static void print(PrintStream out, String who, Scrape before, Scrape after, long logins) {
        if (after.samples().isEmpty()) {
            out.printf("%s side (%s at %s): not exported (%s)%n", who, after.metric(), after.url(), after.problem());
            return;
        }
        out.printf("%s side (%s), per series over the window:%n", who, after.metric());
        for (var e : after.samples().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(after.metric() + "_count")) {
                continue;
            }
            String labels = key.substring((after.metric() + "_count").length());
            double n = e.getValue() - before.samples().getOrDefault(key, 0.0);
            if (n == 0) {
                continue; // a series only the set-up fed (enrolment, password logins): not part of a login
            }
            String sumKey = after.metric() + "_sum" + labels;
            double sum = after.samples().getOrDefault(sumKey, 0.0) - before.samples().getOrDefault(sumKey, 0.0);
            Double max = after.samples().get(after.metric() + "_max" + labels);
            out.printf("  %-60s n %7.0f (%.2f per login)  mean %8.3f ms%s%n", labels.isEmpty() ? "(all)" : labels, n,
                    logins == 0 ? 0.0 : n / logins, n == 0 ? 0.0 : 1000 * sum / n, max == null ? "" : String.format("  max %8.3f ms", 1000 * max));
        }
    }
}
