package io.gmgate.tlcp.tls13;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import io.gmgate.error.ErrorCode;
import io.gmgate.tlcp.io.SansIoEngine;

/**
 * A sans-IO TLS 1.3 engine for TLS_SM4_GCM_SM3 with SM2 certificates (RFC 8998), over
 * BouncyCastle's non-blocking {@link TlsServerProtocol}/{@link TlsClientProtocol} and its
 * lightweight {@link BcTlsCrypto}. Bytes from the network go in with {@link #feed}; bytes for the
 * network come out of {@link #takeOutput}; application bytes go through {@link #write} and
 * {@link #read}. It never touches a socket, a thread or a clock other than the configured one.
 *
 * <p>The private-key signature runs inside {@link #feed} (BouncyCastle's state machine cannot pause
 * for it); an adapter whose key lives in a slow card calls {@code feed} off the event loop.
 *
 * <p>Any protocol failure raises {@link Tls13Exception} with a TLS-15x code after the matching
 * alert has been queued: the caller still drains {@link #takeOutput} so the peer sees the alert,
 * then closes the transport. Not thread-safe: one connection, one caller at a time.
 */
public final class Tls13Engine implements SansIoEngine {

    /** Which end of the connection this engine plays. */
    public enum Role { CLIENT, SERVER }

    private final String name;
    private final Role role;
    private final TlsProtocol protocol;
    private final Tls13Events events = new Tls13Events();
    private Tls13Exception failure;

    private Tls13Engine(String name, Role role, TlsProtocol protocol) {
        this.name = name;
        this.role = role;
        this.protocol = protocol;
    }

    /** A server engine waiting for a ClientHello. */
    public static Tls13Engine server(String name, Tls13ServerConfig config) {
        Objects.requireNonNull(config, "config");
        TlsServerProtocol p = new TlsServerProtocol();
        Tls13Engine engine = new Tls13Engine(name, Role.SERVER, p);
        BcTlsCrypto crypto = new BcTlsCrypto(config.random());
        try {
            p.accept(new GmTls13Server(crypto, config, engine.events));
        } catch (IOException e) {
            throw engine.fail(e);
        }
        return engine;
    }

    /** A client engine whose ClientHello is already waiting in {@link #takeOutput}. */
    public static Tls13Engine client(String name, Tls13ClientConfig config) {
        Objects.requireNonNull(config, "config");
        TlsClientProtocol p = new TlsClientProtocol();
        Tls13Engine engine = new Tls13Engine(name, Role.CLIENT, p);
        BcTlsCrypto crypto = new BcTlsCrypto(config.random());
        try {
            p.connect(new GmTls13Client(crypto, config, engine.events));
        } catch (IOException e) {
            throw engine.fail(e);
        }
        return engine;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** Network bytes received from the peer. */
    public void feed(byte[] data, int offset, int length) {
        requireUsable();
        if (length == 0) {
            return;
        }
        try {
            protocol.offerInput(data, offset, length);
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /** Bytes waiting to be sent to the peer (handshake, records, alerts). */
    public int pendingOutput() {
        return protocol.getAvailableOutputBytes();
    }

    public boolean hasOutput() {
        return pendingOutput() > 0;
    }

    /** Takes all bytes waiting to be sent (possibly none). */
    public byte[] takeOutput() {
        byte[] out = new byte[protocol.getAvailableOutputBytes()];
        protocol.readOutput(out, 0, out.length);
        return out;
    }

    /** Decrypted application bytes ready to be read. */
    public int readable() {
        return protocol.getAvailableInputBytes();
    }

    /** Takes all decrypted application bytes (possibly none). */
    public byte[] read() {
        byte[] in = new byte[protocol.getAvailableInputBytes()];
        protocol.readInput(in, 0, in.length);
        return in;
    }

    /** Encrypts application bytes; only after the handshake. */
    public void write(byte[] data, int offset, int length) {
        requireUsable();
        if (!isHandshakeComplete()) {
            throw new Tls13Exception(Tls13Errors.ENGINE_STATE,
                    "[" + name + "] application data written before the TLS 1.3 handshake finished");
        }
        try {
            protocol.writeApplicationData(data, offset, length);
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    public boolean isHandshakeComplete() {
        return events.isHandshakeComplete() && protocol.isConnected();
    }

    /** True once the connection is over: closed by either side or failed. */
    public boolean isClosed() {
        return protocol.isClosed() || failure != null;
    }

    /** The failure that ended this engine, or null. */
    public Tls13Exception failure() {
        return failure;
    }

    /** The peer's verified chain (leaf first); empty before the handshake or when the client sent none. */
    public List<X509CertificateHolder> peerCertificates() {
        return events.peerChain();
    }

    /**
     * The transport reached end of stream. After a close_notify this is the normal end; before the
     * handshake finished, inside a record, or without close_notify it is a truncation (TLS-150), so
     * data cut off by an attacker is never taken for a complete message (RFC 8446 §6.1).
     */
    public void endOfInput() {
        if (isClosed()) {
            return;
        }
        String cut = isHandshakeComplete() ? "connection" : "handshake";
        try {
            protocol.closeInput();
        } catch (java.io.EOFException e) {
            throw failWith(Tls13Errors.MALFORMED, "stream ended inside a record during the " + cut, e);
        } catch (IOException e) {
            throw failWith(Tls13Errors.MALFORMED, "stream ended during the " + cut + " without close_notify", e);
        }
    }

    /** Queues close_notify (RFC 8446 §6.1); the caller drains {@link #takeOutput} and then closes. */
    public void close() {
        if (protocol.isClosed()) {
            return;
        }
        try {
            protocol.close();
        } catch (IOException e) {
            // Closing only queues an alert; a failure here leaves nothing more to tell the peer.
        }
    }

    private void requireUsable() {
        if (failure != null) {
            throw new Tls13Exception(Tls13Errors.ENGINE_STATE, "[" + name + "] used after it failed", failure);
        }
        if (protocol.isClosed()) {
            throw new Tls13Exception(Tls13Errors.ENGINE_STATE, "[" + name + "] used after it was closed");
        }
    }

    private Tls13Exception failWith(ErrorCode code, String what, Throwable e) {
        failure = new Tls13Exception(code, "[" + name + " " + role.name().toLowerCase() + "] " + what, e);
        return failure;
    }

    private Tls13Exception fail(Throwable e) {
        ErrorCode code = classify(e);
        String alert;
        if (e instanceof TlsFatalAlertReceived r) {
            alert = "received alert " + AlertDescription.getText(r.getAlertDescription());
        } else if (e instanceof TlsFatalAlert a) {
            alert = "sent alert " + AlertDescription.getText(a.getAlertDescription())
                    + (a.getMessage() == null ? "" : " (" + a.getMessage() + ")");
        } else {
            alert = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        failure = new Tls13Exception(code, "[" + name + " " + role.name().toLowerCase() + "] TLS 1.3 "
                + (isHandshakeComplete() ? "connection" : "handshake") + " failed: " + alert, e);
        return failure;
    }

    /** Maps what BouncyCastle raised to our codes; the alert already went to the peer. */
    static ErrorCode classify(Throwable e) {
        if (e instanceof Tls13Signer.SignFailure) {
            return Tls13Errors.SIGN_FAILED;
        }
        if (e instanceof Tls13ChainCheck.Refused r) {
            // the certificate policy's own code says which rule failed (CERT-1xx), as in TLCP
            return r.code();
        }
        if (e instanceof TlsFatalAlert && e.getCause() instanceof io.gmgate.error.GmgateException coded) {
            return coded.errorCode();  // our own refusal, e.g. the server is not the gateway (CERT-140)
        }
        if (e instanceof TlsFatalAlertReceived r) {
            return switch (r.getAlertDescription()) {
                case AlertDescription.certificate_required -> Tls13Errors.CLIENT_CERTIFICATE_REQUIRED;
                case AlertDescription.access_denied -> io.gmgate.tlcp.TlcpErrors.ACCESS_DENIED; // the gateway's admission refusal
                default -> Tls13Errors.ALERT_RECEIVED;
            };
        }
        if (e instanceof TlsFatalAlert a) {
            return switch (a.getAlertDescription()) {
                case AlertDescription.decode_error, AlertDescription.unexpected_message,
                     AlertDescription.illegal_parameter, AlertDescription.missing_extension,
                     AlertDescription.unsupported_extension -> Tls13Errors.MALFORMED;
                case AlertDescription.handshake_failure, AlertDescription.protocol_version,
                     AlertDescription.insufficient_security -> Tls13Errors.NO_COMMON_PARAMETERS;
                case AlertDescription.bad_certificate, AlertDescription.unsupported_certificate,
                     AlertDescription.certificate_expired, AlertDescription.certificate_unknown,
                     AlertDescription.certificate_revoked, AlertDescription.unknown_ca,
                     AlertDescription.decrypt_error -> Tls13Errors.PEER_CERTIFICATE_REJECTED;
                case AlertDescription.certificate_required -> Tls13Errors.CLIENT_CERTIFICATE_REQUIRED;
                case AlertDescription.bad_record_mac, AlertDescription.record_overflow -> Tls13Errors.RECORD_INTEGRITY;
                default -> Tls13Errors.HANDSHAKE_FAILED;
            };
        }
        return Tls13Errors.HANDSHAKE_FAILED;
    }

    @Override
    public String toString() {
        return "Tls13Engine[" + name + ", " + role + (isHandshakeComplete() ? ", connected" : "")
                + (isClosed() ? ", closed" : "") + "]";
    }
}
