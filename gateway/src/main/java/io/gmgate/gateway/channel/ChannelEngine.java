package io.gmgate.gateway.channel;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.tls13.Tls13Engine;

/**
 * The face the gateway needs of a sans-IO secure-channel engine — TLCP or TLS 1.3 — so one Vert.x
 * adapter serves both. Bytes in, bytes out; never a socket or a thread. Fatal problems surface as
 * a {@code GmgateException} from {@link #feed} (the alert for the peer is already queued).
 */
public interface ChannelEngine {

    static ChannelEngine tlcp(TlcpEngine engine) {
        return new EngineChannel(engine,
                () -> new Handshake("TLCP1.1", engine.suite().name(), engine.peerCertificates(), engine.resumed()));
    }

    static ChannelEngine tls13(Tls13Engine engine) {
        return new EngineChannel(engine, () -> new Handshake("TLSv1.3", "TLS_SM4_GCM_SM3", engine.peerCertificates(), false));
    }

    /** Network bytes from the peer. May do slow work (key operations) during the handshake. */
    void feed(byte[] network);

    /** Bytes for the peer (handshake, records, alerts); empty when none. */
    byte[] takeOutput();

    /** Decrypted application bytes; empty when none. */
    byte[] readApplicationData();

    /** Encrypts application bytes (after the handshake); the records appear in {@link #takeOutput}. */
    void writeApplicationData(byte[] data);

    boolean isHandshakeComplete();

    /** True once closed by either side or failed. */
    boolean isClosed();

    /** Queues close_notify. */
    void closeOutbound();

    /** What the handshake agreed; valid once {@link #isHandshakeComplete}. */
    Handshake handshake();

    /** The outcome of a handshake, as the gateway reports and forwards it. */
    record Handshake(String protocol, String suite, List<X509CertificateHolder> peerChain, boolean resumed) {
        public Handshake {
            peerChain = List.copyOf(peerChain);
        }
    }
}
