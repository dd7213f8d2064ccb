package io.gmgate.app.wiring;

import java.time.Duration;
import java.util.List;

import io.gmgate.gateway.TradingFront;

/**
 * Where a gateway node forwards: the trading fronts behind :9000, the cosign nodes behind :8090 (none:
 * no enrolment listener), and how long a connection to either may take and how often their health is probed.
 */
public record NodeForwarding(List<TradingFront> tradingFronts, List<TradingFront> cosignNodes, Duration connectTimeout,
                             Duration probeInterval) {
}
