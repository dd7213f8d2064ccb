package io.gmgate.sdk.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.error.GmgateException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkException;

/**
 * A terminal's side of design §5 across runs: a policy offered to it (a file the firm publishes) is
 * believed only if signed by the firm's policy key, current, and not older than the last one this
 * device accepted — which the device store keeps, so a replayed old BYPASS policy is refused after a
 * restart too — and, since a device record may not exist yet or may be replaced, the highest serial
 * ever verified is also kept in its own file ({@link PolicySerialFloor}). The accepted policy's
 * endpoints are the ones to use.
 */
public final class TerminalPolicy {

    private TerminalPolicy() {
    }

    /** Verifies {@code signed} against the store's last accepted policy; on success the store keeps it. */
    public static AccessPolicy accept(LocalStore store, Sm2PublicKey policyKey, byte[] signed, Clock clock, Duration skew) {
        Optional<DeviceRecord> record = store.load();
        AccessPolicy accepted = verify(store, record, policyKey, signed, clock, skew);
        PolicySerialFloor.raise(store.directory(), accepted.serial());
        record.filter(r -> r.accessPolicy().map(p -> !Arrays.equals(p, signed)).orElse(true))
                .ifPresent(r -> store.save(r.withAccessPolicy(signed)));
        return accepted;
    }

    /** The same checks without keeping anything (gmgate doctor). */
    public static AccessPolicy check(LocalStore store, Sm2PublicKey policyKey, byte[] signed, Clock clock, Duration skew) {
        return verify(store, store.load(), policyKey, signed, clock, skew);
    }

    private static AccessPolicy verify(LocalStore store, Optional<DeviceRecord> record, Sm2PublicKey policyKey, byte[] signed,
                                       Clock clock, Duration skew) {
        Optional<AccessPolicy> last = record.flatMap(DeviceRecord::accessPolicy).flatMap(TerminalPolicy::decodeQuietly);
        try {
            return new AccessPolicyVerifier(policyKey, clock, skew, last, PolicySerialFloor.read(store.directory())).accept(signed);
        } catch (SdkException e) {
            throw e;
        } catch (GmgateException refused) {
            // the terminal's callers get the SDK's exception, with the verifier's code (MODE-400/401)
            throw new SdkException(refused.errorCode(), refused.getMessage(), refused);
        }
    }

    /** The policy a device accepted before, if its bytes still decode (they were verified when stored). */
    static Optional<AccessPolicy> decodeQuietly(byte[] stored) {
        try {
            return Optional.of(AccessPolicy.decode(SignedPolicy.body(stored)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
