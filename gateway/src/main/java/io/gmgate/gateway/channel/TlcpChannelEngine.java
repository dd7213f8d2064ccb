package io.gmgate.gateway.channel;

import io.gmgate.tlcp.TlcpEngine;

/** The TLCP engine seen as a {@link ChannelEngine}. */
public final class TlcpChannelEngine implements ChannelEngine {

    private final TlcpEngine engine;

    public TlcpChannelEngine(TlcpEngine engine) {
        this.engine = engine;
    }

    public TlcpEngine engine() {
        return engine;
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
        return new Handshake("TLCP1.1", engine.suite().name(), engine.peerCertificates(), engine.resumed());
    }
}
