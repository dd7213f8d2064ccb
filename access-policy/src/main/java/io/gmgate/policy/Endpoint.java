package io.gmgate.policy;

import java.util.Objects;

/** One gateway node a terminal may connect to, and the site (data centre) it belongs to. */
public record Endpoint(String site, String host, int port) {

    public Endpoint {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint " + host + ": port " + port + " outside 1..65535");
        }
    }

    /** Parses "host:port" for a site. */
    public static Endpoint parse(String site, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, got " + hostPort);
        }
        return new Endpoint(site, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + site + ")";
    }
}
