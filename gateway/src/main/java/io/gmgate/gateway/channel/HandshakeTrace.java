package io.gmgate.gateway.channel;

import io.gmgate.gateway.LoginPhases;

/**
 * When a handshake's flights crossed the wire, seen from the channel (the engine is not timed from
 * inside): the first bytes in (ClientHello), the server's first flight out, and the last bytes in
 * before the handshake completed (the client's Finished). Touched on the socket's context only.
 */
public final class HandshakeTrace {

    private final LoginPhases phases;
    private long helloIn = -1;
    private long flightOut = -1;
    private long lastIn;
    private boolean done;

    public HandshakeTrace(LoginPhases phases) {
        this.phases = phases;
    }

    static HandshakeTrace none() {
        return new HandshakeTrace(LoginPhases.NONE);
    }

    /** Handshake bytes arrived and are about to be fed. */
    void bytesIn() {
        long now = LoginPhases.now();
        if (helloIn < 0) {
            helloIn = now;
        }
        lastIn = now;
    }

    /** Handshake bytes were written; {@code complete} when the handshake is already done on this side. */
    void bytesOut(boolean complete) {
        if (flightOut < 0 && !complete && helloIn >= 0) {
            flightOut = LoginPhases.now();
            phases.record(LoginPhases.HELLO_FLIGHT, flightOut - helloIn);
        }
    }

    /** The handshake completed here. */
    void completed() {
        if (!done && flightOut >= 0) {
            done = true;
            phases.record(LoginPhases.CLIENT_FLIGHT, lastIn - flightOut);
        }
    }
}
