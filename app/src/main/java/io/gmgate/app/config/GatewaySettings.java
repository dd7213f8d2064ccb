package io.gmgate.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.policy.Rollout;

import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.TradingFront;

/**
 * The gateway's listeners (design §3; ports mirror the clearing house's 9000/8090), its trading
 * fronts and cosign nodes, its admission limits and its admin listener (host defaults to 127.0.0.1).
 */
public record GatewaySettings(
        String bindHost,
        int tradingPort,
        List<TradingFront> fronts,
        int enrolmentPort,
        List<TradingFront> cosignNodes,
        TlcpIdentitySettings tlcp,
        int bypassPort,
        String adminHost,
        int adminPort,
        Optional<String> adminTokensFile,
        AdmissionPolicy admission,
        Duration frontConnectTimeout,
        Duration frontProbeInterval,
        Optional<io.gmgate.session.DegradationSettings> cosignDown,
        Rollout rollout,
        GatewayTimings timings) {

    static GatewaySettings read(ConfigNode n) {
        ConfigNode trading = n.section("trading");
        int tradingPort = trading.port("port", 9000);
        List<TradingFront> fronts = trading.list("fronts", GatewaySettings::front);
        trading.done();
        if (fronts.isEmpty()) {
            throw n.error(trading.path() + ".fronts", "must list at least one trading front");
        }
        ConfigNode enrol = n.section("enrolment");
        int enrolPort = enrol.port("port", 8090);
        List<TradingFront> cosign = enrol.list("cosignNodes", GatewaySettings::front);
        enrol.done();
        TlcpIdentitySettings tlcp = TlcpIdentitySettings.read(n.section("tlcp"));
        ConfigNode bypass = n.section("bypass");
        int bypassPort = bypass.port("port", 9001);
        bypass.done();
        ConfigNode admin = n.section("admin");
        // the admin API (tokens, mode changes, metrics) is not for the street: loopback unless said otherwise
        String adminHost = admin.string("host", "127.0.0.1");
        int adminPort = admin.port("port", 9100);
        Optional<String> tokens = admin.optionalString("tokensFile");
        admin.done();
        Optional<io.gmgate.session.DegradationSettings> cosignDown = Optional.empty();
        if (n.has("degradation")) {
            // design §5, docs/drills.md C4: every cosign node unreachable for this long -> ONE_WAY (if act is true)
            ConfigNode d = n.section("degradation");
            String scope = d.string("scope", "listener:trading");
            try {
                cosignDown = Optional.of(new io.gmgate.session.DegradationSettings("cosign",
                        io.gmgate.session.Scope.parse(scope), d.duration("whenCosignDownFor", Duration.ofSeconds(60)),
                        d.duration("ttl", Duration.ofMinutes(30)), d.bool("act", false)));
            } catch (io.gmgate.error.GmgateException | IllegalArgumentException e) {
                throw n.error(d.path(), e.getMessage());
            }
            d.done();
        }
        Rollout rollout = Rollout.EVERYONE;
        if (n.has("rollout")) {
            // docs/session.md, "Gradual rollout": batches of accounts move to GM; the others keep the plain path meanwhile
            ConfigNode r = n.section("rollout");
            rollout = new Rollout(new java.util.HashSet<>(r.strings("accounts")), r.integer("share", 100, 0, 100));
            r.done();
        }
        GatewayTimings timings = GatewayTimings.read(n.section("timings"));
        AdmissionPolicy defaults = AdmissionPolicy.defaults();
        ConfigNode a = n.section("admission");
        AdmissionPolicy admission = new AdmissionPolicy(
                a.integer("maxConnections", defaults.maxConnections(), 1, 10_000_000),
                a.decimal("connectionsPerSecondPerSource", defaults.connectionsPerSecondPerSource(), 0.001),
                a.integer("connectionBurstPerSource", defaults.connectionBurstPerSource(), 1, 1_000_000),
                a.decimal("handshakesPerSecondPerSource", defaults.handshakesPerSecondPerSource(), 0.001),
                a.integer("handshakeBurstPerSource", defaults.handshakeBurstPerSource(), 1, 1_000_000),
                a.integer("trackedSources", defaults.trackedSources(), 1, 10_000_000),
                a.duration("idleTimeout", defaults.idleTimeout()));
        a.done();
        GatewaySettings s = new GatewaySettings(n.string("bindHost", "0.0.0.0"), tradingPort, fronts, enrolPort, cosign,
                tlcp, bypassPort, adminHost, adminPort, tokens, admission,
                n.duration("frontConnectTimeout", Duration.ofSeconds(2)),
                n.duration("frontProbeInterval", Duration.ofSeconds(5)), cosignDown, rollout, timings);
        n.done();
        return s;
    }

    private static TradingFront front(ConfigNode f) {
        return new TradingFront(f.string("name"), f.string("host"), f.integer("port", 0, 1, 65_535));
    }
}
