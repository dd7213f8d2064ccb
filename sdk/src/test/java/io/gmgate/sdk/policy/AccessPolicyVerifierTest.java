package io.gmgate.sdk.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.sdk.SdkErrors;

class AccessPolicyVerifierTest {

    private static final Sm2PrivateKey FIRM = Sm2PrivateKey.generate();
    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static AccessPolicy policy(long serial, AccessPolicy.Mode mode, Instant issued, Duration life) {
        return new AccessPolicy(serial, issued, issued.plus(life), mode,
                List.of(new Endpoint("sh", "gw1.example.cn", 8090)), List.of(new Endpoint("sh", "gw1.example.cn", 9000)),
                List.of(new Endpoint("sh", "front.example.cn", 41205)));
    }

    private static AccessPolicyVerifier verifier() {
        return new AccessPolicyVerifier(FIRM.publicKey(), CLOCK, Duration.ofMinutes(5), Optional.empty());
    }

    @Test
    void aFreshSignedDowngradeIsAccepted() {
        AccessPolicyVerifier v = verifier();
        v.accept(SignedPolicy.sign(policy(1, AccessPolicy.Mode.NORMAL, NOW.minusSeconds(60), Duration.ofHours(1)), Sm2SignKey.of(FIRM)));
        AccessPolicy bypass = v.accept(SignedPolicy.sign(policy(2, AccessPolicy.Mode.BYPASS, NOW, Duration.ofHours(2)),
                Sm2SignKey.of(FIRM)));
        assertEquals(AccessPolicy.Mode.BYPASS, bypass.mode());
        assertEquals("front.example.cn", v.current().orElseThrow().emergency().get(0).host());
    }

    @Test
    void aPolicySignedByAnyoneElseOrAlteredIsRefused() {
        byte[] forged = SignedPolicy.sign(policy(9, AccessPolicy.Mode.BYPASS, NOW, Duration.ofHours(1)),
                Sm2SignKey.of(Sm2PrivateKey.generate()));
        assertEquals(io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED, assertThrows(io.gmgate.error.GmgateException.class, () -> verifier().accept(forged)).errorCode());
        byte[] good = SignedPolicy.sign(policy(9, AccessPolicy.Mode.NORMAL, NOW, Duration.ofHours(1)), Sm2SignKey.of(FIRM));
        byte[] altered = good.clone();
        altered[40] ^= 1;
        assertEquals(io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED, assertThrows(io.gmgate.error.GmgateException.class, () -> verifier().accept(altered)).errorCode());
        assertEquals(io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED, assertThrows(io.gmgate.error.GmgateException.class, () -> verifier().accept(new byte[3])).errorCode());
    }

    @Test
    void anExpiredOrReplayedPolicyIsRefused() {
        AccessPolicyVerifier v = verifier();
        byte[] old = SignedPolicy.sign(policy(3, AccessPolicy.Mode.BYPASS, NOW.minus(Duration.ofHours(3)), Duration.ofHours(2)),
                Sm2SignKey.of(FIRM));
        assertEquals(io.gmgate.policy.PolicyErrors.POLICY_STALE, assertThrows(io.gmgate.error.GmgateException.class, () -> v.accept(old)).errorCode());
        v.accept(SignedPolicy.sign(policy(5, AccessPolicy.Mode.NORMAL, NOW, Duration.ofHours(1)), Sm2SignKey.of(FIRM)));
        byte[] replay = SignedPolicy.sign(policy(4, AccessPolicy.Mode.BYPASS, NOW, Duration.ofHours(1)), Sm2SignKey.of(FIRM));
        assertEquals(io.gmgate.policy.PolicyErrors.POLICY_STALE, assertThrows(io.gmgate.error.GmgateException.class, () -> v.accept(replay)).errorCode());
        assertEquals(AccessPolicy.Mode.NORMAL, v.current().orElseThrow().mode(), "the accepted policy stands");
    }
}
