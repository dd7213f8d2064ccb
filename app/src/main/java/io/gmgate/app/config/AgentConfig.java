package io.gmgate.app.config;

import java.util.List;
import java.util.Optional;

import io.gmgate.sdk.Endpoint;

/**
 * The {@code agent:} section of a terminal's configuration: the gateway endpoints per site (tried
 * in order, seed 003 C.1), the roots to trust, the device store, the local ports (9000 and 8090 like
 * the clearing house's proxy; a status port) and, for service mode, where the PIN and password are.
 */
public record AgentConfig(List<Endpoint> enrolment, List<Endpoint> trading, String roots, String store, int tradingPort,
                          int statusPort, int maxConnections, Optional<String> pinFile, Optional<String> passwordFile) {

    public static AgentConfig read(ConfigNode n) {
        List<Endpoint> enrol = n.list("enrolment", AgentConfig::endpoint);
        List<Endpoint> trading = n.list("trading", AgentConfig::endpoint);
        if (enrol.isEmpty() || trading.isEmpty()) {
            throw n.error(n.path(), "needs at least one enrolment and one trading endpoint");
        }
        AgentConfig a = new AgentConfig(enrol, trading, n.string("roots"), n.string("store"),
                n.port("tradingPort", 9000), n.port("statusPort", 9090), n.integer("maxConnections", 32, 1, 10_000),
                n.optionalString("pinFile"), n.optionalString("passwordFile"));
        n.done();
        return a;
    }

    private static Endpoint endpoint(ConfigNode e) {
        return new Endpoint(e.string("site", "main"), e.string("host"), e.integer("port", 0, 1, 65_535));
    }

    /** Reads a file holding only an agent: section. */
    public static AgentConfig load(java.nio.file.Path file) {
        ConfigNode root = ConfigFile.read(file);
        AgentConfig a = read(root.section("agent"));
        root.done();
        return a;
    }
}
