package io.gmgate.app.wiring;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.gateway.LoginPhases;
import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.crypto.EncodedCertificate;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.gateway.IdentityResolver;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.ShardStore;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * What the trading listener asks about a client certificate beyond its path (design §4 step 5), for
 * TLCP and TLS 1.3 alike. The presented certificate must be the record of it: the issued certificate
 * stored for its (issuer, serial) — in the cosign table (every double certificate enrolled through
 * cosign, whichever CA issued it) and the embedded CA's table — byte for byte, or, for a certificate
 * only a key record knows, that record's public key. The record must not be revoked and a key record behind it must be ACTIVE
 * (not locked by the PIN counter, the trader or an operator, not revoked or destroyed). The account
 * forwarded to the front comes from that record, never from the presented subject. Certificates of
 * whole keys (hardware tokens of an external CA) have no key record and pass only when the policy
 * allows them; only then does the account come from the subject's CN, the one thing such a
 * certificate carries.
 */
public final class CertificateGate implements RevocationCheck, IdentityResolver {

    /** Handshakes between their check and the listener's account question, across the node. */
    static final int IN_FLIGHT = 16_384;

    private final PgCaStore certificates;
    private final Optional<PgCertificates> cosignCertificates;
    private final ShardStore keys;
    private final boolean acceptExternalWholeKeys;
    private final java.util.function.LongSupplier nanos;
    /** Bindings made by {@link #check} and not yet read by {@link #account}: handshakes in flight. */
    private final LoginPhases phases;
    private final Cache<ByteBuffer, JustChecked> bound = Caffeine.newBuilder().maximumSize(IN_FLIGHT)
            .executor(Runnable::run).build(); // upkeep on the handshake's thread: no wake-up of the common pool per entry

    /** The record the presented certificate was bound to, the account it names, and the key records behind it. */
    record Binding(String source, Optional<String> account, List<KeyRecord> keyRecords) {
        Binding(String source, Optional<String> account) {
            this(source, account, List.of());
        }

        Binding withKeyRecords(List<KeyRecord> records) {
            return new Binding(source, account, List.copyOf(records));
        }
    }

    /**
     * The key records the last {@link #check} on this thread read, for the question the same handshake
     * asks right after it on the same thread (a resumption's {@link #checkKeyRecord}, a full
     * handshake's session binding), so that question does not read them again. Taken once; only for
     * the same certificate and within {@link #JUST_CHECKED_NANOS}.
     */
    private final ThreadLocal<JustChecked> justChecked = new ThreadLocal<>();
    static final long JUST_CHECKED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private record JustChecked(ByteBuffer certificate, X509CertificateHolder checked, Binding binding, long atNanos) {
        List<KeyRecord> records() {
            return binding.keyRecords();
        }

        /** The same certificate: the very object the check saw (no hashing), else the same encoding. */
        boolean isOf(X509CertificateHolder cert) {
            return checked == cert || certificate.equals(key(cert));
        }
    }

    public CertificateGate(PgCaStore certificates, ShardStore keys, boolean acceptExternalWholeKeys) {
        this(certificates, Optional.empty(), keys, acceptExternalWholeKeys, System::nanoTime, LoginPhases.NONE);
    }

    /** With the cosign certificate table (V43) of {@code database}, for certificates of CMP and other CAs. */
    public CertificateGate(DataSource database, ShardStore keys, boolean acceptExternalWholeKeys) {
        this(database, keys, acceptExternalWholeKeys, LoginPhases.NONE);
    }

    /** As above, timing each database lookup as the login phase {@code gate_lookup}. */
    public CertificateGate(DataSource database, ShardStore keys, boolean acceptExternalWholeKeys, LoginPhases phases) {
        this(database, keys, acceptExternalWholeKeys, System::nanoTime, phases);
    }

    /** With the clock that ages what a check read ({@link #JUST_CHECKED_NANOS}). */
    CertificateGate(DataSource database, ShardStore keys, boolean acceptExternalWholeKeys, java.util.function.LongSupplier nanos,
                    LoginPhases phases) {
        this(new PgCaStore(database), Optional.of(new PgCertificates(CosignJdbc.of(database, "certificate gate"))), keys,
                acceptExternalWholeKeys, nanos, phases);
    }

    private CertificateGate(PgCaStore certificates, Optional<PgCertificates> cosignCertificates, ShardStore keys,
                            boolean acceptExternalWholeKeys, java.util.function.LongSupplier nanos, LoginPhases phases) {
        this.phases = phases;
        this.certificates = certificates;
        this.cosignCertificates = cosignCertificates;
        this.keys = keys;
        this.acceptExternalWholeKeys = acceptExternalWholeKeys;
        this.nanos = nanos;
    }

    @Override
    public void check(X509CertificateHolder cert) {
        justChecked.remove();
        Binding b = bind(cert);
        ByteBuffer key = key(cert);
        JustChecked checked = new JustChecked(key, cert, b, nanos.getAsLong());
        bound.put(key, checked);
        justChecked.set(checked);
    }

    /**
     * For the session binding at the end of a full handshake, which the engine may run on another
     * worker thread than the Certificate's check: the key records this thread's check read, else those
     * of the check of this certificate still waiting for the listener's {@link #account} question
     * (within {@link #JUST_CHECKED_NANOS}), else read now. Which device a session is bound to is
     * re-checked against the store at every resumption.
     */
    List<KeyRecord> sessionKeyRecords(X509CertificateHolder cert) {
        JustChecked mine = justChecked.get();
        if (mine == null || !mine.isOf(cert)) {
            JustChecked pending;
            pending = bound.getIfPresent(key(cert));
            if (pending != null && nanos.getAsLong() - pending.atNanos() < JUST_CHECKED_NANOS) {
                return pending.records();
            }
        }
        return keyRecords(cert);
    }

    /**
     * The key records of {@code cert}: those the {@link #check} just made on this thread read (taken
     * once), else read now.
     */
    List<KeyRecord> keyRecords(X509CertificateHolder cert) {
        JustChecked j = justChecked.get();
        justChecked.remove();
        if (j != null && nanos.getAsLong() - j.atNanos() < JUST_CHECKED_NANOS && j.isOf(cert)) {
            return j.records();
        }
        return lookup(() -> keys.keysForCertificate(PgCaStore.hex(cert.getSerialNumber())));
    }

    /**
     * A resumption's re-check (docs/security.md, "Sessions and resumption"): the certificate passes {@link #check} and the one key
     * record (device) that authenticated the session is still behind it and ACTIVE; another ACTIVE
     * device of the same certificate does not count. An empty {@code keyId} is a whole key from an
     * external CA, which must still have no key record here.
     */
    public void checkKeyRecord(X509CertificateHolder cert, java.util.OptionalLong keyId) {
        JustChecked j = justChecked.get();
        if (j == null || nanos.getAsLong() - j.atNanos() >= JUST_CHECKED_NANOS || !j.isOf(cert)) {
            check(cert); // not just checked by the handshake's certificate policy on this thread: check it here
        }
        String hex = PgCaStore.hex(cert.getSerialNumber());
        List<KeyRecord> records = keyRecords(cert);
        if (keyId.isEmpty()) {
            if (!records.isEmpty()) {
                throw refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + " has key records now; the session was bound to none");
            }
            return;
        }
        KeyRecord bound = records.stream().filter(k -> k.keyId() == keyId.getAsLong()).findFirst()
                .orElseThrow(() -> refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + ": key record " + keyId.getAsLong() + " is no longer behind it"));
        if (bound.state() != KeyState.ACTIVE) {
            throw refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + ": the session's key record " + bound.keyId() + " (device " + bound.device() + ") is "
                    + bound.state());
        }
    }

    /**
     * The account of the record the handshake's {@link #check} bound this certificate to. The
     * listener asks on its event loop, so this reads what the check (on a worker thread) left and
     * never queries the database; no binding (refused, or evicted) gives no account, and the front
     * refuses the login.
     */
    @Override
    public Optional<String> account(X509CertificateHolder cert) {
        JustChecked b;
        b = bound.asMap().remove(key(cert));
        return b == null ? Optional.empty() : b.binding().account();
    }

    private <T> T lookup(java.util.function.Supplier<T> query) {
        long started = LoginPhases.now();
        try {
            return query.get();
        } finally {
            phases.since(LoginPhases.GATE_LOOKUP, started);
        }
    }

    private static ByteBuffer key(X509CertificateHolder cert) {
        try {
            return ByteBuffer.wrap(EncodedCertificate.sm3(cert));
        } catch (IOException e) {
            return ByteBuffer.allocate(0);
        }
    }

    Binding bind(X509CertificateHolder cert) {
        BigInteger serial = cert.getSerialNumber();
        String hex = PgCaStore.hex(serial);
        Optional<PgCaStore.Recorded> caRow = lookup(() -> certificates.recorded(serial));
        Optional<PgCertificates.Pair> cosignRow = cosignCertificates.flatMap(t -> lookup(() -> t.bySerial(hex)));
        // every record of this (issuer, serial) must be the presented certificate and unrevoked; the
        // account is the cosign record's when there is one: a CMP line's CA row names the RA, not the trader
        Optional<Binding> fromCa = caRecord(cert, caRow, hex);
        Optional<Binding> onRecord = cosignRecord(cert, cosignRow, hex).or(() -> fromCa);
        if (onRecord.isEmpty() && (caRow.isPresent() || cosignRow.isPresent())) {
            // the serial is another certificate's (another issuer's, or the enc half): nothing of its record is ours
            throw refused(TlcpErrors.NOT_ON_RECORD, hex + " is recorded for another certificate than the one presented"
                    + " (issuer " + cert.getIssuer() + ")");
        }
        List<KeyRecord> records = lookup(() -> keys.keysForCertificate(hex));
        if (records.isEmpty()) {
            if (!acceptExternalWholeKeys) {
                throw refused(TlcpErrors.NOT_ON_RECORD, hex + " has no key record (a whole-key certificate"
                        + onRecord.map(b -> " on record in " + b.source()).orElse("") + "), and this site does not accept"
                        + " whole keys (gateway.tlcp.acceptExternalWholeKeys: false)");
            }
            return onRecord.orElseGet(() -> new Binding("subject of an external whole-key certificate",
                    IdentityResolver.commonName(cert))).withKeyRecords(records);
        }
        if (onRecord.isEmpty()) {
            Sm2PublicKey presented = publicKey(cert, hex);
            records = records.stream().filter(k -> k.publicKey().equals(presented)).toList();
            if (records.isEmpty()) {
                throw refused(TlcpErrors.NOT_ON_RECORD, hex + " is not on record and its key is not the key recorded"
                        + " for that serial");
            }
            onRecord = Optional.of(new Binding("key records", Optional.of(records.get(0).account())));
        }
        if (records.stream().noneMatch(k -> k.state() == KeyState.ACTIVE)) {
            throw refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + " has no ACTIVE key record: "
                    + records.stream().map(KeyRecord::state).distinct().toList());
        }
        return onRecord.get().withKeyRecords(records);
    }

    /** The embedded CA's row for (issuer, serial); the presented certificate must be it. */
    private Optional<Binding> caRecord(X509CertificateHolder cert, Optional<PgCaStore.Recorded> bySerial, String hex) {
        Optional<PgCaStore.Recorded> recorded = bySerial.filter(r -> r.row().certificate().getIssuer().equals(cert.getIssuer()));
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        PgCaStore.Row row = recorded.get().row();
        requireSame(cert, row.certificate(), hex, "the CA's certificate table");
        CertificateStatus status = recorded.get().status();
        if (status.state() == CertificateStatus.State.REVOKED) {
            throw refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + " is revoked by the CA (" + status.reason() + ")");
        }
        return Optional.of(new Binding("the CA's certificate table", Optional.of(row.account())));
    }

    /** The cosign table's pair whose sign certificate has this serial (certificates of CMP and other CAs). */
    private Optional<Binding> cosignRecord(X509CertificateHolder cert, Optional<PgCertificates.Pair> bySerial, String hex) {
        Optional<PgCertificates.Pair> pair = bySerial.filter(p -> p.signSerial().equals(hex));
        if (pair.isEmpty()) {
            return Optional.empty();
        }
        requireSame(cert, PgCertificates.certificate(pair.get().signDer()), hex, "the cosign certificate table");
        if (pair.get().revokedAt() != null) {
            throw refused(TlcpErrors.PEER_CERTIFICATE_REVOKED, hex + " is revoked since " + pair.get().revokedAt());
        }
        return Optional.of(new Binding("the cosign certificate table", Optional.of(pair.get().account())));
    }

    private static void requireSame(X509CertificateHolder presented, X509CertificateHolder stored, String hex, String where) {
        try {
            if (!Arrays.equals(presented.getEncoded(), stored.getEncoded())) {
                throw refused(TlcpErrors.NOT_ON_RECORD, hex + " of " + presented.getIssuer() + " is not the certificate"
                        + " recorded in " + where + " for that issuer and serial (presented subject " + presented.getSubject()
                        + ", recorded " + stored.getSubject() + ")");
            }
        } catch (IOException e) {
            throw refused(TlcpErrors.NOT_ON_RECORD, hex + " does not re-encode: " + e.getMessage());
        }
    }

    private static Sm2PublicKey publicKey(X509CertificateHolder cert, String hex) {
        try {
            return GmPem.publicKey(cert);
        } catch (GmCryptoException | IllegalArgumentException e) {
            throw refused(TlcpErrors.NOT_ON_RECORD, hex + " does not carry an SM2 key");
        }
    }

    private static TlcpException refused(io.gmgate.error.ErrorCode code, String why) {
        return new TlcpException(code, code == TlcpErrors.PEER_CERTIFICATE_REVOKED ? Alert.CERTIFICATE_REVOKED
                : Alert.BAD_CERTIFICATE, "certificate " + why);
    }
}
