package io.gmgate.sdk.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.SdkException;
import io.gmgate.policy.AccessPolicy;

/**
 * The access policy a running terminal goes by, re-read rather than read once (design §5): the
 * policy file is read again whenever its bytes change, a policy fetched from the firm's cosign nodes
 * may supersede it, every policy passes {@link TerminalPolicy} (firm's key, validity, never below the
 * highest serial this device verified), and whether the held one is still in force is judged against
 * the clock at every use — an expired policy that allowed a weaker path means NORMAL.
 */
public final class LivePolicy {

    private final LocalStore store;
    private final Sm2PublicKey policyKey;
    private final Optional<Path> file;
    private final Clock clock;
    private final Duration skew;
    private AccessPolicy held;
    private byte[] fileSeen;
    private GmgateException lastRefusal;

    public LivePolicy(LocalStore store, Sm2PublicKey policyKey, Optional<Path> file, Clock clock, Duration skew) {
        this.store = store;
        this.policyKey = policyKey;
        this.file = file;
        this.clock = clock;
        this.skew = skew;
    }

    /**
     * Reads the policy file again if its bytes changed and verifies it; a refusal (MODE-400/401) is
     * thrown and leaves the held policy as it was. The same refused bytes are not tried again.
     */
    public synchronized Optional<AccessPolicy> reload() {
        if (file.isEmpty()) {
            return held();
        }
        byte[] now;
        try {
            now = Files.readAllBytes(file.get());
        } catch (IOException e) {
            throw refused(new SdkException(io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED, "cannot read the access policy " + file.get() + ": "
                    + e.getMessage(), e));
        }
        if (fileSeen != null && Arrays.equals(now, fileSeen)) {
            return held();
        }
        fileSeen = now;
        return Optional.of(offer(now));
    }

    /** Verifies a signed policy (from the file or fetched from the firm) and, if it is at least as new, holds it. */
    public synchronized AccessPolicy offer(byte[] signed) {
        AccessPolicy p;
        try {
            p = TerminalPolicy.accept(store, policyKey, signed, clock, skew);
        } catch (GmgateException e) {
            throw refused(e);
        }
        if (held == null || p.serial() >= held.serial()) {
            held = p;
        }
        lastRefusal = null;
        return p;
    }

    /** The policy to go by now: the file re-read first (a refused file keeps the held one), nothing once it expired. */
    public synchronized Optional<AccessPolicy> inForce() {
        try {
            reload();
        } catch (GmgateException keptTheHeldOne) {
            // recorded in lastRefusal; the held policy (or none) still decides
        }
        return held().filter(p -> p.inForceAt(clock.instant(), skew));
    }

    /** The newest policy verified, in force or not (its endpoints stay the firm's latest word). */
    public synchronized Optional<AccessPolicy> held() {
        return Optional.ofNullable(held);
    }

    /** Why the last policy offered was refused, if it was. */
    public synchronized Optional<GmgateException> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    public Sm2PublicKey policyKey() {
        return policyKey;
    }

    private GmgateException refused(GmgateException e) {
        lastRefusal = e;
        return e;
    }
}
