package io.gmgate.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A terminal's configuration file, read by {@code gmgate client}, {@code gmgate agent} and
 * {@code gmgate doctor}: a {@code client:} section (required) and an {@code agent:} section
 * (defaults apply when it is absent). Unknown keys are refused, so a typo is never a silent default.
 */
public record TerminalConfig(ClientConfig client, AgentConfig agent, boolean agentSection) {

    public static TerminalConfig load(Path file) {
        ConfigNode root = ConfigFile.read(file);
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("."));
        if (!root.has("client")) {
            throw root.error("client", "is required: the gateway endpoints, roots and device store");
        }
        ConfigNode c = root.section("client");
        ClientConfig client = ClientConfig.read(c, base);
        c.done();
        boolean hasAgent = root.has("agent");
        ConfigNode a = root.section("agent");
        AgentConfig agent = AgentConfig.read(a, base);
        a.done();
        root.done();
        return new TerminalConfig(client, agent, hasAgent);
    }
}
