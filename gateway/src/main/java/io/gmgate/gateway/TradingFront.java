package io.gmgate.gateway;

import java.util.Objects;

/** One upstream trading front (交易前置) the gateway relays to. */
public record TradingFront(String name, String host, int port) {

    public TradingFront {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("front " + name + ": port " + port + " outside 1..65535");
        }
    }

    @Override
    public String toString() {
        return name + "(" + host + ":" + port + ")";
    }
}
