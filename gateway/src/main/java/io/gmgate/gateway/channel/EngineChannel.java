package io.gmgate.gateway.channel;

import java.util.function.Supplier;

import io.gmgate.tlcp.io.SansIoEngine;

/**
 * A sans-IO engine seen as a {@link ChannelEngine}: TLCP and TLS 1.3 differ here only in how they
 * summarise the handshake.
 */
final class EngineChannel implements ChannelEngine {

    private final SansIoEngine engine;
    private final Supplier<Handshake> summary;

    EngineChannel(SansIoEngine engine, Supplier<Handshake> summary) {
        this.engine = engine;
        this.summary = summary;
    }

    @Override
    public void feed(byte[] network) {
        engine.feed(network, 0, network.length);
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
        return summary.get();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
