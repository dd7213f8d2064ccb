package io.gmgate.cosign;

import java.time.Instant;
import java.util.Optional;

/**
 * Pending renewals and their renewal codes (更新码, seed 002): a code is issued when a renewal starts
 * and lets a failed renewal be finished later, from any node or session, without a second
 * certificate. ca-client's renewal store implements this when it lands; {@link InProcessRenewals}
 * serves one JVM until then.
 */
public interface Renewals {

    /** A renewal in progress or done; {@code newSignSerial} is set once certificates were issued. */
    record Pending(String code, String account, String device, long signKeyId, String oldSignSerial, Instant startedAt,
                   String newSignSerial) {
    }

    /** The pending renewal of this certificate, or a new one with a fresh code. */
    Pending start(String account, String device, long signKeyId, String oldSignSerial);

    Optional<Pending> pendingFor(String account, String oldSignSerial);

    /** CA-104 when the code is unknown, expired or of another account. */
    Pending find(String account, String code);

    void complete(String code, String newSignSerial);
}
