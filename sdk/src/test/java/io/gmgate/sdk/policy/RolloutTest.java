package io.gmgate.sdk.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.Rollout;
import io.gmgate.policy.SignedPolicy;

class RolloutTest {

    private static final List<String> ACCOUNTS = IntStream.range(0, 2000).mapToObj(i -> String.format("80%05d", i)).toList();

    @Test
    void aShareTakesAboutThatShareAndRaisingItKeepsEveryoneAlreadyIn() {
        Rollout ten = new Rollout(Set.of(), 10);
        Rollout thirty = new Rollout(Set.of(), 30);
        long inTen = ACCOUNTS.stream().filter(ten::requiresGm).count();
        long inThirty = ACCOUNTS.stream().filter(thirty::requiresGm).count();
        assertTrue(inTen > 120 && inTen < 280, "about 10 % of 2000: " + inTen);
        assertTrue(inThirty > 480 && inThirty < 720, "about 30 % of 2000: " + inThirty);
        assertTrue(ACCOUNTS.stream().filter(ten::requiresGm).allMatch(thirty::requiresGm), "a batch never drops out");
        assertTrue(ACCOUNTS.stream().noneMatch(new Rollout(Set.of(), 0)::requiresGm));
        assertTrue(ACCOUNTS.stream().allMatch(Rollout.EVERYONE::requiresGm));
    }

    @Test
    void listedAccountsAreInWhateverTheShare() {
        String outside = ACCOUNTS.stream().filter(a -> !new Rollout(Set.of(), 50).requiresGm(a)).findFirst().orElseThrow();
        Rollout r = new Rollout(Set.of(outside), 50);
        assertTrue(r.requiresGm(outside));
        assertTrue(r.incomplete());
        assertFalse(Rollout.EVERYONE.incomplete());
    }

    @Test
    void theRolloutIsSignedWithThePolicyAndOldPoliciesMeanEveryone() {
        Sm2PrivateKey firm = Sm2PrivateKey.generate();
        Instant now = Instant.parse("2026-11-23T08:00:00Z");
        AccessPolicy p = new AccessPolicy(7, now, now.plus(Duration.ofHours(1)), AccessPolicy.Mode.NORMAL,
                List.of(new Endpoint("sh", "gw1", 8090)), List.of(new Endpoint("sh", "gw1", 9000)),
                List.of(new Endpoint("sh", "front", 41205)), new Rollout(Set.of("8000001", "8000002"), 20));
        AccessPolicy back = new AccessPolicyVerifier(firm.publicKey(), Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5),
                Optional.empty()).accept(SignedPolicy.sign(p, Sm2SignKey.of(firm)));
        assertEquals(p, back);

        byte[] v2 = new AccessPolicy(7, now, now.plus(Duration.ofHours(1)), AccessPolicy.Mode.NORMAL, List.of(), List.of(),
                List.of()).encode();
        byte[] v1 = Arrays.copyOf(v2, v2.length - 3); // no share byte, no account count
        ByteBuffer.wrap(v1).putInt(4, 1);
        assertEquals(Rollout.EVERYONE, AccessPolicy.decode(v1).rollout());
    }
}
