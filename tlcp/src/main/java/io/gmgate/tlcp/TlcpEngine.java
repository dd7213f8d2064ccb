package io.gmgate.tlcp;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.handshake.ClientHandshake;
import io.gmgate.tlcp.handshake.Handshaker;
import io.gmgate.tlcp.handshake.ServerHandshake;
import io.gmgate.tlcp.io.SansIoEngine;
import io.gmgate.tlcp.record.ContentType;
import io.gmgate.tlcp.record.RecordLayer;

/**
 * A sans-IO TLCP 1.1 endpoint (GB/T 38636-2020): bytes from the network go in through
 * {@link #feed}, bytes for the network come out of {@link #takeOutput}, application data is
 * {@link #write} and {@link #read}. It touches no socket, thread or clock of its own; key
 * operations are calls on the credentials' interfaces, so the caller decides where slow ones run.
 * A fatal problem queues the alert for the peer, closes the engine and throws {@link TlcpException}.
 * Not thread-safe: one connection, one caller at a time.
 */
public final class TlcpEngine implements SansIoEngine {

    private final String name;
    private final RecordLayer records = new RecordLayer();
    private final Handshaker handshake;
    private final java.time.Clock clock;
    private final ByteArrayOutputStream application = new ByteArrayOutputStream();
    private TlcpException failure;
    private boolean closed;
    private boolean peerClosed;

    private TlcpEngine(String name, java.util.function.Function<RecordLayer, Handshaker> handshake,
                       java.time.Clock clock) {
        this.name = name;
        this.handshake = handshake.apply(records);
        this.clock = clock;
    }

    public static TlcpEngine server(String name, TlcpServerConfig config) {
        Objects.requireNonNull(config, "config");
        return new TlcpEngine(name, r -> new ServerHandshake(r, config), config.clock());
    }

    /** A client whose ClientHello is already waiting in {@link #takeOutput}. */
    public static TlcpEngine client(String name, TlcpClientConfig config) {
        Objects.requireNonNull(config, "config");
        TlcpEngine e = new TlcpEngine(name, r -> new ClientHandshake(r, config), config.clock());
        ((ClientHandshake) e.handshake).start();
        return e;
    }

    public String name() {
        return name;
    }

    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /** Network bytes from the peer, in any chunking (one byte at a time works). */
    public void feed(byte[] data, int offset, int length) {
        requireOpen();
        try {
            records.receive(data, offset, length);
            RecordLayer.Record r;
            while (!closed && (r = records.next()) != null) {
                dispatch(r);
            }
        } catch (TlcpException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(new TlcpException(TlcpErrors.MALFORMED, Alert.INTERNAL_ERROR,
                    "[" + name + "] unexpected failure: " + e, e));
        }
    }

    private void dispatch(RecordLayer.Record r) {
        switch (r.type()) {
            case ContentType.HANDSHAKE -> {
                if (r.fragment().length == 0) {
                    throw TlcpException.decode("empty handshake record");
                }
                handshake.onHandshakeRecord(r.fragment());
            }
            case ContentType.CHANGE_CIPHER_SPEC -> {
                if (r.fragment().length != 1 || r.fragment()[0] != 1) {
                    throw TlcpException.decode("ChangeCipherSpec must be the single byte 1");
                }
                handshake.onChangeCipherSpec();
            }
            case ContentType.ALERT -> alert(r.fragment());
            case ContentType.APPLICATION_DATA -> {
                if (!handshake.isComplete()) {
                    throw TlcpException.unexpected("application data before the handshake finished");
                }
                application.writeBytes(r.fragment());
            }
            default -> throw TlcpException.unexpected("record type " + r.type());
        }
    }

    private void alert(byte[] a) {
        if (a.length != 2) {
            throw TlcpException.decode("alert of " + a.length + " bytes");
        }
        int level = a[0] & 0xFF;
        int description = a[1] & 0xFF;
        if (description == Alert.CLOSE_NOTIFY.code) {
            peerClosed = true;
            if (!closed) {
                records.send(ContentType.ALERT, new byte[] {1, 0});
            }
            closed = true;
            return;
        }
        if (level == 1 && description != Alert.NO_RENEGOTIATION.code) {
            return; // warnings other than close_notify carry nothing to act on
        }
        closed = true;
        peerClosed = true;
        // access_denied is the gateway's admission refusal: a passing state, so a terminal retries or takes another path
        throw new TlcpException(description == Alert.ACCESS_DENIED.code ? TlcpErrors.ACCESS_DENIED : TlcpErrors.ALERT_RECEIVED, null,
                "[" + name + "] peer sent fatal alert " + Alert.name(description));
    }

    private TlcpException fail(TlcpException e) {
        if (failure == null) {
            failure = e;
            if (e.alert() != null && !peerClosed) {
                try {
                    records.send(ContentType.ALERT, new byte[] {2, (byte) e.alert().code});
                } catch (RuntimeException ignored) {
                    // the alert is a courtesy; the failure stands
                }
            }
        }
        closed = true;
        return e;
    }

    /**
     * The transport reached end of input: if the handshake had not finished or a record was cut
     * short, that is a truncation the caller must not mistake for a clean close.
     */
    public void endOfInput() {
        if (failure != null || peerClosed) {
            return;
        }
        if (!handshake.isComplete() || records.buffered() > 0) {
            throw fail(new TlcpException(TlcpErrors.CLOSED, null,
                    "[" + name + "] connection ended " + (handshake.isComplete() ? "inside a record" : "during the handshake")));
        }
        closed = true;
    }

    public byte[] takeOutput() {
        return records.takeOutput();
    }

    public boolean hasOutput() {
        return records.hasOutput();
    }

    public byte[] read() {
        byte[] out = application.toByteArray();
        application.reset();
        return out;
    }

    public void write(byte[] data) {
        requireOpen();
        if (!handshake.isComplete()) {
            throw new TlcpException(TlcpErrors.ENGINE_STATE, null, "[" + name + "] write before the handshake finished");
        }
        if (data.length > 0) {
            records.send(ContentType.APPLICATION_DATA, data);
        }
    }

    /** Queues close_notify; the caller sends {@link #takeOutput} and then closes the transport. */
    public void close() {
        if (!closed) {
            records.send(ContentType.ALERT, new byte[] {1, 0});
            closed = true;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new TlcpException(TlcpErrors.ENGINE_STATE, null,
                    "[" + name + "] engine is closed" + (failure == null ? "" : " after " + failure.getMessage()));
        }
    }

    public boolean isHandshakeComplete() {
        return handshake.isComplete();
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once the peer sent close_notify or a fatal alert. */
    public boolean isPeerClosed() {
        return peerClosed;
    }

    public TlcpException failure() {
        return failure;
    }

    public CipherSuite suite() {
        return handshake.suite();
    }

    /** The peer's certificates as sent (sign, enc, CAs); empty for a client that sent none. */
    public List<X509CertificateHolder> peerCertificates() {
        return handshake.peerChain();
    }

    /** The server's clock as its random carried it (GB/T 38636-2020 §6.4.5.2: gmt_unix_time), for skew checks. */
    public Optional<java.time.Instant> serverHelloTime() {
        return handshake.serverHelloTime();
    }

    public boolean resumed() {
        return handshake.resumed();
    }

    /** Servers: why the session the client offered was refused (TLS-114) and a full handshake run instead. */
    public Optional<TlcpException> resumptionRefused() {
        return handshake instanceof ServerHandshake s ? s.resumptionRefused() : Optional.empty();
    }

    /** The session to offer for resumption on the next connection (clients), once the handshake is done. */
    public Optional<SessionState> session() {
        return handshake.isComplete() ? handshake.session(clock.instant()) : Optional.empty();
    }

    @Override
    public String toString() {
        return "TlcpEngine[" + name + ", " + (handshake.isComplete() ? suite() : "handshaking") + (closed ? ", closed" : "") + "]";
    }
}
