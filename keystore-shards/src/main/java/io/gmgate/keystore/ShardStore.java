package io.gmgate.keystore;

import java.util.List;

import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * The server side's key store as the cosign service needs it (design §6, §11): accounts and devices,
 * key records with their sealed server shares, optimistic state changes, the PIN-guess counter,
 * certificate links and destruction. Every write is committed before the method returns, so a
 * caller that got an answer may tell its peer "stored". Failures are {@link KeystoreException}s with
 * KEY-1xx codes; KEY-101 (database unavailable) and KEY-103 (conflict) are worth retrying.
 *
 * <p>{@code actor} names who asked (an officer, "cosign", "enrolment"); it goes to the audit log.
 */
public interface ShardStore {

    void createAccount(String account, String actor);

    void createDevice(String account, String device, String actor);

    /**
     * Seals the share and stores it with a new key record (next key version for this account, device
     * and purpose) in one transaction, audited. Durable when this returns.
     */
    KeyRecord storeKey(String account, String device, Purpose purpose, ServerKeyShare share, String actor);

    KeyRecord key(long keyId);

    /** Every key record of a device, tombstones included, by key id. */
    List<KeyRecord> keys(String account, String device);

    /**
     * Opens a share whatever its lock state (not DESTROYED), for the custodian backup only: a locked
     * key must survive a disaster too. Never for signing.
     */
    OpenedShare openShareForBackup(long keyId);

    /** Key records in key-id order after {@code afterKeyId}, at most {@code limit}: for paging through all of them. */
    List<KeyRecord> keysAfter(long afterKeyId, int limit);

    /** The key records (one per device) behind a certificate, by its serial in hex; empty for a certificate gmgate did not co-generate. */
    List<KeyRecord> keysForCertificate(String serialHex);

    /**
     * Loads and opens an ACTIVE key's share. LOCKED → KEY-132 (operator), KEY-108 (PIN counter) or KEY-133
     * (holder), REVOKED → KEY-105, DESTROYED → KEY-104, altered or moved ciphertext → KEY-100, a row that does
     * not match its seal → KEY-130, a destroyed key's row put back → KEY-131. Close the result when done.
     */
    OpenedShare openShare(long keyId);

    /**
     * Changes a key's state if its row version is still {@code expectedRowVersion} (else KEY-103) and the
     * transition is legal (else KEY-106). This is the key officer's tool: LOCKED adds the OPERATOR reason;
     * ACTIVE lifts OPERATOR and PIN (clearing the device's PIN counter) but not the holder's own TRADER
     * lock, so the result may still be LOCKED.
     */
    KeyRecord changeState(long keyId, long expectedRowVersion, KeyState next, String actor, String reason);

    /**
     * Destroys a key: its sealed share is overwritten with NULLs, the record stays as a DESTROYED
     * tombstone, and an audit record is written, all in one transaction.
     */
    KeyRecord destroy(long keyId, long expectedRowVersion, String actor, String reason);

    /**
     * Adds a lock reason to every live (ACTIVE or LOCKED) key of a device; ACTIVE keys become LOCKED.
     * Idempotent; each key that changes is audited. Returns the device's keys afterwards.
     */
    List<KeyRecord> lock(String account, String device, LockReason reason, String actor, String note);

    /**
     * Lifts one lock reason from every live key of a device; a key whose last reason goes becomes ACTIVE,
     * the others stay LOCKED for theirs. Lifting PIN also clears the PIN counter. Returns the device's keys.
     */
    List<KeyRecord> unlock(String account, String device, LockReason reason, String actor, String note);

    void linkCertificate(long keyId, String issuer, String serial, String actor);

    List<CertificateLink> certificates(long keyId);

    /**
     * Counts one failed signing attempt, atomically in SQL. The attempt that reaches the threshold locks
     * the device's ACTIVE keys in the same transaction and audits it.
     */
    PinCounter recordPinFailure(String account, String device);

    /**
     * Back to zero with every remembered try gone, unless the counter has locked (only an unlock clears
     * that). Cosign calls it only when a PIN reset finished: the PIN those tries guessed is gone.
     */
    void resetPinFailures(String account, String device);

    PinCounter pinCounter(String account, String device);

    /**
     * Counts one PIN try as {@link #recordPinFailure} does, and remembers it under the login session
     * that made it: a session with a try of its own still unforgiven has not proven the PIN (design §11).
     */
    PinAttempt recordPinAttempt(String account, String device, String sessionId, PinAttempt.Kind kind);

    /**
     * A confirmed signature of attempt {@code upToAttempt}: the right PIN was used then, so the tries
     * counted before it (in any session) are forgiven, as a card forgives its failures on a correct
     * PIN; later tries stay counted, so a replayed old confirmation forgives nothing new. Nothing is
     * forgiven once the counter has locked. The standing it returns counts the tries of
     * {@code sessionId} still unforgiven, as {@link #pendingPinAttempts} would right after.
     */
    PinStanding forgivePinAttempts(String account, String device, String sessionId, long upToAttempt);

    /**
     * The PIN OPRF evaluation [k_s]B with the device's own key k_s (design §11), made and sealed on
     * first use. B must be on the curve and not infinity (COSIGN-001 otherwise). Counting the try is
     * the caller's job ({@link #recordPinAttempt} with {@link PinAttempt.Kind#EVALUATE}).
     */
    org.bouncycastle.math.ec.ECPoint evaluatePinOprf(String account, String device, org.bouncycastle.math.ec.ECPoint blinded,
                                                     String actor);

    /**
     * The devices' PIN OPRF keys k_s after device ({@code afterAccount}, {@code afterDevice}) in (account,
     * device) order, at most {@code limit}, opened for the custodian backup only: without them a
     * restored site cannot unmask any trader's store. Close each.
     */
    List<OpenedPinOprfKey> openPinOprfKeysForBackup(String afterAccount, String afterDevice, int limit);

    /**
     * Puts a device's k_s back from the custodian backup, sealed under this store's card, audited. The
     * device must exist; KEY-107 if it already has a k_s.
     */
    void restorePinOprfKey(String account, String device, byte[] key, String actor);

    /** How many tries of this session are still unforgiven. */
    int pendingPinAttempts(String account, String device, String sessionId);
}
