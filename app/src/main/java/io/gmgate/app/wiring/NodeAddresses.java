package io.gmgate.app.wiring;

/**
 * Where a gateway node listens: the host of its trading, enrolment and bypass listeners and their
 * ports, and the admin API's host and port. Port 0 takes any free port ({@link GatewayNode#port}).
 */
public record NodeAddresses(String bindHost, int tradingPort, int enrolmentPort, int bypassPort, String adminHost,
                            int adminPort) {

    /** Every listener on {@code bindHost} on a free port, the admin API on loopback (its configured default). */
    public static NodeAddresses freePorts(String bindHost) {
        return new NodeAddresses(bindHost, 0, 0, 0, "127.0.0.1", 0);
    }
}
