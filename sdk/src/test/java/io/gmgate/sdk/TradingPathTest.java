package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.Rollout;
import io.gmgate.policy.Endpoint;

class TradingPathTest {

    @TempDir
    Path dir;

    private static AccessPolicy policy(AccessPolicy.Mode mode, Rollout rollout, List<Endpoint> emergency) {
        Instant now = Instant.now();
        return new AccessPolicy(1, now, now.plus(Duration.ofHours(1)), mode, List.of(), List.of(), emergency, rollout);
    }

    @Test
    void eachModeAllowsItsPathsStrongestFirst() {
        List<Endpoint> front = List.of(new Endpoint("sh", "127.0.0.1", 41205));
        assertEquals(List.of(TradingPath.TWO_WAY), TradingPath.allowed(Optional.empty(), "8001234"), "no policy: GM only");
        assertEquals(List.of(TradingPath.TWO_WAY),
                TradingPath.allowed(Optional.of(policy(AccessPolicy.Mode.NORMAL, Rollout.EVERYONE, front)), "8001234"));
        assertEquals(List.of(TradingPath.TWO_WAY, TradingPath.ONE_WAY),
                TradingPath.allowed(Optional.of(policy(AccessPolicy.Mode.ONE_WAY, Rollout.EVERYONE, front)), "8001234"));
        assertEquals(List.of(TradingPath.TWO_WAY, TradingPath.PLAIN),
                TradingPath.allowed(Optional.of(policy(AccessPolicy.Mode.BYPASS, Rollout.EVERYONE, front)), "8001234"),
                "BYPASS allows the plain path after two-way, it does not skip two-way");
        Rollout nobodyYet = new Rollout(Set.of("8009999"), 0);
        assertEquals(List.of(TradingPath.TWO_WAY, TradingPath.PLAIN),
                TradingPath.allowed(Optional.of(policy(AccessPolicy.Mode.NORMAL, nobodyYet, front)), "8001234"),
                "an account not yet in the rollout may keep the plain path");
        assertEquals(List.of(TradingPath.TWO_WAY),
                TradingPath.allowed(Optional.of(policy(AccessPolicy.Mode.NORMAL, nobodyYet, front)), "8009999"));
    }

    @Test
    void theEmergencyAddressIsUsedOnlyUnderAPolicyThatSaysSo() throws Exception {
        try (ServerSocket front = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            List<Endpoint> gone = List.of(new Endpoint("sh", "127.0.0.1", 1));
            GmgateClient.Options base = new GmgateClient.Options(gone, gone, List.of(), dir.resolve("store"),
                    Duration.ofMillis(500), Duration.ofSeconds(2), 1_000);
            SdkException refused = assertThrows(SdkException.class, () -> new GmgateClient(base).connectPlain());
            assertEquals(SdkErrors.NO_ALLOWED_PATH, refused.errorCode());

            AccessPolicy bypass = policy(AccessPolicy.Mode.BYPASS, Rollout.EVERYONE,
                    List.of(new Endpoint("sh", "127.0.0.1", front.getLocalPort())));
            try (TradingChannel channel = new GmgateClient(base.withPolicy(bypass)).openTrading("pw".toCharArray(),
                    "123456".toCharArray()); Socket accepted = front.accept()) {
                assertEquals(TradingPath.PLAIN, channel.path());
                channel.output().write("LOGIN 8001234\n".getBytes(StandardCharsets.US_ASCII));
                channel.output().flush();
                assertEquals("LOGIN 8001234", new BufferedReader(new InputStreamReader(accepted.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine());
                assertTrue(channel.tlcp().isEmpty());
            }
        }
    }

    @Test
    void bypassTriesTwoWayFirstAndFallsBackOnlyWhenItIsUnavailable() throws Exception {
        try (ServerSocket front = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            List<Endpoint> gone = List.of(new Endpoint("sh", "127.0.0.1", 1));
            AccessPolicy bypass = policy(AccessPolicy.Mode.BYPASS, Rollout.EVERYONE,
                    List.of(new Endpoint("sh", "127.0.0.1", front.getLocalPort())));
            GmgateClient client = new GmgateClient(new GmgateClient.Options(gone, gone, List.of(), dir.resolve("store"),
                    Duration.ofMillis(500), Duration.ofSeconds(2), 1_000).withPolicy(bypass));
            List<String> tried = new java.util.ArrayList<>();
            try (TradingChannel channel = client.openTrading(() -> {
                tried.add("two-way");
                throw new SdkException(SdkErrors.UNREACHABLE, "the trading listeners refuse GM handshakes in BYPASS");
            }); Socket accepted = front.accept()) {
                assertEquals(List.of("two-way"), tried, "two-way was tried before the plain path");
                assertEquals(TradingPath.PLAIN, channel.path());
            }
            SdkException refusal = assertThrows(SdkException.class, () -> client.openTrading(() -> {
                throw new SdkException(SdkErrors.WRONG_PIN, "wrong PIN");
            }));
            assertEquals(SdkErrors.WRONG_PIN, refusal.errorCode(), "a refusal never falls through to the plain path");

            AccessPolicy expired = new AccessPolicy(2, Instant.now().minusSeconds(7200), Instant.now().minusSeconds(1),
                    AccessPolicy.Mode.BYPASS, List.of(), List.of(), bypass.emergency());
            GmgateClient stale = new GmgateClient(new GmgateClient.Options(gone, gone, List.of(), dir.resolve("store"),
                    Duration.ofMillis(500), Duration.ofSeconds(2), 1_000).withPolicy(expired));
            SdkException normal = assertThrows(SdkException.class, () -> stale.openTrading(() -> {
                throw new SdkException(SdkErrors.UNREACHABLE, "gateway down");
            }));
            assertEquals(SdkErrors.UNREACHABLE, normal.errorCode(), "an expired BYPASS policy means NORMAL: two-way or nothing");
        }
    }

    @Test
    void inNormalModeAnUnreachableGatewayIsReportedNotBypassed() {
        List<Endpoint> gone = List.of(new Endpoint("sh", "127.0.0.1", 1));
        AccessPolicy normal = policy(AccessPolicy.Mode.NORMAL, Rollout.EVERYONE, List.of(new Endpoint("sh", "127.0.0.1", 2)));
        GmgateClient client = new GmgateClient(new GmgateClient.Options(gone, gone, List.of(), dir.resolve("store"),
                Duration.ofMillis(500), Duration.ofSeconds(2), 1_000).withPolicy(normal));
        SdkException e = assertThrows(SdkException.class, () -> client.openTrading("pw".toCharArray(), "123456".toCharArray()));
        assertEquals(SdkErrors.NOT_ENROLLED, e.errorCode(), "only the two-way path is allowed, and this device has no key");
    }
}
