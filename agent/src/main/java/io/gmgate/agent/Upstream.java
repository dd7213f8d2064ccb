package io.gmgate.agent;

import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Where a local connection goes: opens one GM channel to the gateway (through the SDK, with its
 * failover over nodes and sites). Throws a {@code GmgateException} whose code names the hop that failed.
 */
@FunctionalInterface
public interface Upstream {

    TlcpSocket open();
}
