package io.gmgate.gateway.channel;

import io.gmgate.tlcp.tls13.Tls13Engine;

/** The TLS 1.3 (RFC 8998) engine seen as a {@link ChannelEngine}. */
public final class Tls13ChannelEngine implements ChannelEngine {

    static final String SUITE = "TLS_SM4_GCM_SM3";

    private final Tls13Engine engine;

    public Tls13ChannelEngine(Tls13Engine engine) {
        this.engine = engine;
    }

    @Override
    public void feed(byte[] network) {
        engine.feed(network);
    }

    @Override
    public byte[] takeOutput() {
        return engine.takeOutput();
    }

    @Override
    public byte[] readApplicationData() {
        return engine.read();
    }

    @Override
    public void writeApplicationData(byte[] data) {
        engine.write(data);
    }

    @Override
    public boolean isHandshakeComplete() {
        return engine.isHandshakeComplete();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public void closeOutbound() {
        engine.close();
    }

    @Override
    public Handshake handshake() {
        return new Handshake("TLSv1.3", SUITE, engine.peerCertificates(), false);
    }
}
