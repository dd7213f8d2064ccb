package io.gmgate.agent;

import io.gmgate.sdk.TradingChannel;

/**
 * Where a local connection goes: opens one channel to the gateway (through the SDK, with its
 * failover over nodes and sites, by the path the verified access policy allows). Throws a {@code GmgateException} whose code names the hop that failed.
 */
@FunctionalInterface
public interface Upstream {

    TradingChannel open();

    /** The enrolment side: one-way TLCP to a :8090 listener, for terminals that speak plain HTTP locally. */
    static Upstream enrolment(io.gmgate.sdk.GmgateClient client) {
        return () -> TradingChannel.secure(io.gmgate.sdk.TradingPath.ONE_WAY, client.openEnrolmentChannel());
    }
}
