package io.gmgate.cosign;

import java.util.List;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.CertificateLink;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.PinStanding;
import io.gmgate.keystore.LockReason;
import io.gmgate.keystore.OpenedPinOprfKey;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PinAttempt;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.ShardStore;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * The node's view of the shard store, each call timed as a request phase: reads as {@code pg_read},
 * changes (PIN counters and attempts included) as {@code pg_write}, and the calls whose answer the
 * cipher card unwraps (a share opened, a PIN OPRF evaluated) as {@code card} — their row read included.
 */
final class TimedShardStore implements ShardStore {

    private final ShardStore store;
    private final CosignMeters meters;

    TimedShardStore(ShardStore store, CosignMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    private <T> T read(java.util.function.Supplier<T> call) {
        return meters.timed(CosignMeters.PG_READ, call);
    }

    private <T> T write(java.util.function.Supplier<T> call) {
        return meters.timed(CosignMeters.PG_WRITE, call);
    }

    private void write(Runnable call) {
        meters.timed(CosignMeters.PG_WRITE, call);
    }

    @Override
    public void createAccount(String account, String actor) {
        write(() -> store.createAccount(account, actor));
    }

    @Override
    public void createDevice(String account, String device, String actor) {
        write(() -> store.createDevice(account, device, actor));
    }

    @Override
    public KeyRecord storeKey(String account, String device, Purpose purpose, ServerKeyShare share, String actor) {
        return meters.timed(CosignMeters.CARD, () -> store.storeKey(account, device, purpose, share, actor));
    }

    @Override
    public KeyRecord key(long keyId) {
        return read(() -> store.key(keyId));
    }

    @Override
    public List<KeyRecord> keys(String account, String device) {
        return read(() -> store.keys(account, device));
    }

    @Override
    public OpenedShare openShareForBackup(long keyId) {
        return meters.timed(CosignMeters.CARD, () -> store.openShareForBackup(keyId));
    }

    @Override
    public List<KeyRecord> keysAfter(long afterKeyId, int limit) {
        return read(() -> store.keysAfter(afterKeyId, limit));
    }

    @Override
    public List<KeyRecord> keysForCertificate(String serialHex) {
        return read(() -> store.keysForCertificate(serialHex));
    }

    @Override
    public OpenedShare openShare(long keyId) {
        return meters.timed(CosignMeters.CARD, () -> store.openShare(keyId));
    }

    @Override
    public KeyRecord changeState(long keyId, long expectedRowVersion, KeyState next, String actor, String reason) {
        return write(() -> store.changeState(keyId, expectedRowVersion, next, actor, reason));
    }

    @Override
    public KeyRecord destroy(long keyId, long expectedRowVersion, String actor, String reason) {
        return write(() -> store.destroy(keyId, expectedRowVersion, actor, reason));
    }

    @Override
    public List<KeyRecord> lock(String account, String device, LockReason reason, String actor, String note) {
        return write(() -> store.lock(account, device, reason, actor, note));
    }

    @Override
    public List<KeyRecord> unlock(String account, String device, LockReason reason, String actor, String note) {
        return write(() -> store.unlock(account, device, reason, actor, note));
    }

    @Override
    public void linkCertificate(long keyId, String issuer, String serial, String actor) {
        write(() -> store.linkCertificate(keyId, issuer, serial, actor));
    }

    @Override
    public List<CertificateLink> certificates(long keyId) {
        return read(() -> store.certificates(keyId));
    }

    @Override
    public PinCounter recordPinFailure(String account, String device) {
        return write(() -> store.recordPinFailure(account, device));
    }

    @Override
    public void resetPinFailures(String account, String device) {
        write(() -> store.resetPinFailures(account, device));
    }

    @Override
    public PinCounter pinCounter(String account, String device) {
        return read(() -> store.pinCounter(account, device));
    }

    @Override
    public PinAttempt recordPinAttempt(String account, String device, String sessionId, PinAttempt.Kind kind) {
        return write(() -> store.recordPinAttempt(account, device, sessionId, kind));
    }

    @Override
    public PinStanding forgivePinAttempts(String account, String device, String sessionId, long upToAttempt) {
        return write(() -> store.forgivePinAttempts(account, device, sessionId, upToAttempt));
    }

    @Override
    public ECPoint evaluatePinOprf(String account, String device, ECPoint blinded, String actor) {
        return meters.timed(CosignMeters.CARD, () -> store.evaluatePinOprf(account, device, blinded, actor));
    }

    @Override
    public List<OpenedPinOprfKey> openPinOprfKeysForBackup(String afterAccount, String afterDevice, int limit) {
        return meters.timed(CosignMeters.CARD, () -> store.openPinOprfKeysForBackup(afterAccount, afterDevice, limit));
    }

    @Override
    public void restorePinOprfKey(String account, String device, byte[] key, String actor) {
        write(() -> store.restorePinOprfKey(account, device, key, actor));
    }

    @Override
    public int pendingPinAttempts(String account, String device, String sessionId) {
        return read(() -> store.pendingPinAttempts(account, device, sessionId));
    }
}
