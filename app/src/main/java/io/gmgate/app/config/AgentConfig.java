package io.gmgate.app.config;

import java.nio.file.Path;
import java.util.Optional;

import io.gmgate.agent.AgentSettings;

/**
 * The {@code agent:} section of a terminal's file: the local ports (9000 and 8090 like the clearing
 * house's proxy, docs/terminal.md; the status port), the connection cap and copy buffer, and for
 * service mode the files holding the PIN and the trading password (first line each).
 */
public record AgentConfig(AgentSettings settings, Optional<Path> pinFile, Optional<Path> passwordFile) {

    static AgentConfig read(ConfigNode n, Path base) {
        AgentSettings s = new AgentSettings(n.port("tradingPort", AgentSettings.DEFAULT_TRADING_PORT),
                n.port("enrolmentPort", AgentSettings.DEFAULT_ENROLMENT_PORT),
                n.port("statusPort", AgentSettings.DEFAULT_STATUS_PORT),
                n.integer("maxConnections", 32, 1, 10_000), n.integer("bufferBytes", 16 * 1024, 1024, 1 << 20));
        return new AgentConfig(s, n.optionalString("pinFile").map(base::resolve), n.optionalString("passwordFile").map(base::resolve));
    }
}
