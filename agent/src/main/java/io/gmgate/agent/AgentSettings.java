package io.gmgate.agent;

/**
 * The agent's local side, already checked: its ports on 127.0.0.1 (9000 and 8090 as the clearing
 * house's proxy, docs/terminal.md; 0 picks a free port), how many connections it relays at once,
 * and the copy buffer per direction (the bound on what one connection holds in memory).
 */
public record AgentSettings(int tradingPort, int enrolmentPort, int statusPort, int maxConnections, int bufferBytes) {

    public static final int DEFAULT_TRADING_PORT = 9000;
    public static final int DEFAULT_ENROLMENT_PORT = 8090;
    public static final int DEFAULT_STATUS_PORT = 9091;

    public AgentSettings {
        for (int p : new int[] {tradingPort, enrolmentPort, statusPort}) {
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        }
        if (maxConnections < 1 || maxConnections > 10_000) {
            throw new IllegalArgumentException("maxConnections must be 1..10000, got " + maxConnections);
        }
        if (bufferBytes < 1024 || bufferBytes > 1 << 20) {
            throw new IllegalArgumentException("bufferBytes must be 1 KiB..1 MiB, got " + bufferBytes);
        }
    }

    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_TRADING_PORT, DEFAULT_ENROLMENT_PORT, DEFAULT_STATUS_PORT, 32, 16 * 1024);
    }

    /** All ports 0: free ports, for tests. */
    public static AgentSettings ephemeral(int maxConnections) {
        return new AgentSettings(0, 0, 0, maxConnections, 16 * 1024);
    }
}
