package io.gmgate.gateway.channel;

/** A real engine with a test's hook on {@link #feed}: everything else goes straight through. */
abstract class ForwardingEngine implements ChannelEngine {

    protected final ChannelEngine engine;

    ForwardingEngine(ChannelEngine engine) {
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
        return engine.readApplicationData();
    }

    @Override
    public void writeApplicationData(byte[] data) {
        engine.writeApplicationData(data);
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
        engine.closeOutbound();
    }

    @Override
    public Handshake handshake() {
        return engine.handshake();
    }
}
