package io.gmgate.gateway.channel;

import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;

/**
 * A {@link ChannelEngine} that only its owner may touch (docs/security.md, "Sessions and resumption"): the event-loop thread of
 * its socket's context, or — while the owner has handed a handshake flight to a worker — that one
 * worker and nobody else. Two threads in one engine can seal two records under one sequence number,
 * which for SM4-GCM is one nonce twice; a call from any other thread fails fast with NET-…, before
 * it reaches the record layer.
 */
final class ConfinedEngine implements ChannelEngine {

    private final ChannelEngine engine;
    private final Thread owner;
    private volatile boolean handedOff;
    private volatile Thread worker;

    ConfinedEngine(ChannelEngine engine, Thread owner) {
        this.engine = engine;
        this.owner = owner;
    }

    boolean isOwner() {
        return Thread.currentThread() == owner;
    }

    /** On the owner, before a worker gets the engine: from now on the owner keeps off. */
    void handOff() {
        check();
        handedOff = true;
    }

    /** On the worker that was handed the engine. */
    void claim() {
        if (!handedOff || worker != null) {
            throw misuse("a worker claimed an engine that was not handed off");
        }
        worker = Thread.currentThread();
    }

    /** On that worker, when done with it. */
    void release() {
        check();
        worker = null;
    }

    /** On the owner, once the worker's result is back on the context. */
    void takeBack() {
        if (!isOwner() || worker != null) {
            throw misuse("the engine was taken back while a worker holds it");
        }
        handedOff = false;
    }

    private void check() {
        Thread t = Thread.currentThread();
        Thread allowed = handedOff ? worker : owner;
        if (t != allowed) {
            throw misuse("touched from thread '" + t.getName() + "'; it belongs to '"
                    + (allowed == null ? "a worker not yet started" : allowed.getName()) + "'");
        }
    }

    private GatewayException misuse(String what) {
        return new GatewayException(GatewayErrors.ENGINE_THREAD, "[" + engine + "] engine " + what);
    }

    @Override
    public void feed(byte[] network) {
        check();
        engine.feed(network);
    }

    @Override
    public byte[] takeOutput() {
        check();
        return engine.takeOutput();
    }

    @Override
    public byte[] readApplicationData() {
        check();
        return engine.readApplicationData();
    }

    @Override
    public void writeApplicationData(byte[] data) {
        check();
        engine.writeApplicationData(data);
    }

    @Override
    public boolean isHandshakeComplete() {
        check();
        return engine.isHandshakeComplete();
    }

    @Override
    public boolean isClosed() {
        check();
        return engine.isClosed();
    }

    @Override
    public void closeOutbound() {
        check();
        engine.closeOutbound();
    }

    @Override
    public Handshake handshake() {
        check();
        return engine.handshake();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
