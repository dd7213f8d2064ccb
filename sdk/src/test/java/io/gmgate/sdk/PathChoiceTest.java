package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.Rollout;
import io.gmgate.tlcp.io.TlcpSocket;

/** The path rules alone: which path is tried, in what order, and what stops the fall-back. */
class PathChoiceTest {

    private static final String ACCOUNT = "8001234";
    private static final Socket PLAIN = new Socket();

    private final List<String> tried = new ArrayList<>();

    private static Optional<AccessPolicy> policy(AccessPolicy.Mode mode) {
        Instant now = Instant.now();
        return Optional.of(new AccessPolicy(7, now, now.plus(Duration.ofHours(1)), mode, List.of(), List.of(),
                List.of(new Endpoint("sh", "127.0.0.1", 41205)), Rollout.EVERYONE));
    }

    /** Two-way fails with {@code twoWay}; the others connect; the cosign nodes answer {@code newest}. */
    private PathChoice.Paths paths(SdkException twoWay, Optional<AccessPolicy> newest) {
        return new PathChoice.Paths() {
            @Override
            public TlcpSocket twoWay() {
                tried.add("two-way");
                throw twoWay;
            }

            @Override
            public TlcpSocket oneWay() {
                tried.add("one-way");
                throw new SdkException(SdkErrors.UNREACHABLE, "one-way down too");
            }

            @Override
            public Socket plain(Optional<AccessPolicy> inForce) {
                tried.add("plain under #" + inForce.map(AccessPolicy::serial).orElse(0L));
                return PLAIN;
            }

            @Override
            public Optional<AccessPolicy> confirmWeaker(Optional<AccessPolicy> held) {
                tried.add("asked the cosign nodes");
                return newest;
            }
        };
    }

    @Test
    void inBypassAnUnavailableTwoWayFallsBackToPlainAfterAskingForTheNewestPolicy() {
        TradingChannel c = PathChoice.open(ACCOUNT, policy(AccessPolicy.Mode.BYPASS),
                paths(new SdkException(SdkErrors.UNREACHABLE, "gateway down"), policy(AccessPolicy.Mode.BYPASS)));
        assertEquals(TradingPath.PLAIN, c.path());
        assertEquals(List.of("two-way", "asked the cosign nodes", "plain under #7"), tried);
    }

    @Test
    void aRefusalNeverFallsThrough() {
        SdkException wrongPin = new SdkException(SdkErrors.WRONG_PIN, "co-signature did not verify");
        SdkException seen = assertThrows(SdkException.class, () -> PathChoice.open(ACCOUNT, policy(AccessPolicy.Mode.BYPASS),
                paths(wrongPin, policy(AccessPolicy.Mode.BYPASS))));
        assertSame(wrongPin, seen);
        assertEquals(List.of("two-way"), tried);
    }

    @Test
    void aNewerPolicyThatNoLongerAllowsTheWeakerPathStopsIt() {
        SdkException seen = assertThrows(SdkException.class, () -> PathChoice.open(ACCOUNT, policy(AccessPolicy.Mode.BYPASS),
                paths(new SdkException(SdkErrors.UNREACHABLE, "gateway down"), policy(AccessPolicy.Mode.NORMAL))));
        assertEquals(SdkErrors.NO_ALLOWED_PATH, seen.errorCode());
        assertTrue(seen.getMessage().contains("not allowed by the firm's current policy #7 (NORMAL)"), seen.getMessage());
        assertEquals(List.of("two-way", "asked the cosign nodes"), tried);
    }

    @Test
    void withTwoWayTheOnlyPathItsOwnFailureIsReported() {
        SdkException down = new SdkException(SdkErrors.UNREACHABLE, "gateway down");
        assertSame(down, assertThrows(SdkException.class, () -> PathChoice.open(ACCOUNT, Optional.empty(),
                paths(down, Optional.empty()))));
        assertEquals(List.of("two-way"), tried, "no policy: nothing weaker, and the cosign nodes are not asked");
    }

    @Test
    void inOneWayModeEveryAllowedPathIsTriedBeforeGivingUp() {
        SdkException seen = assertThrows(SdkException.class, () -> PathChoice.open(ACCOUNT, policy(AccessPolicy.Mode.ONE_WAY),
                paths(new SdkException(SdkErrors.UNREACHABLE, "gateway down"), policy(AccessPolicy.Mode.ONE_WAY))));
        assertEquals(SdkErrors.NO_ALLOWED_PATH, seen.errorCode());
        assertEquals(List.of("two-way", "asked the cosign nodes", "one-way"), tried);
    }
}
