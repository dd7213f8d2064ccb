package io.gmgate.sdk;

import java.io.IOException;

/**
 * A cosign transport that tells a {@link LoginListener} how long each exchange took. It forwards
 * {@link #send} as a send, so an observed terminal pipelines its confirmation as an unobserved one
 * does: timing a login must not change it.
 */
final class ObservedTransport implements CosignTransport {

    private final CosignTransport transport;
    private final LoginListener listener;

    ObservedTransport(CosignTransport transport, LoginListener listener) {
        this.transport = transport;
        this.listener = listener;
    }

    @Override
    public MiniHttp.Response post(String path, byte[] json) throws IOException {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            MiniHttp.Response r = transport.post(path, json);
            ok = true;
            return r;
        } finally {
            listener.phaseDone(LoginListener.Phase.COSIGN_ROUND_TRIP, System.nanoTime() - t0, ok);
        }
    }

    /** Timed from sending to the answer read: for a pipelined confirmation, after the handshake it overlapped. */
    @Override
    public Pending send(String path, byte[] json) throws IOException {
        long t0 = System.nanoTime();
        Pending pending;
        try {
            pending = transport.send(path, json);
        } catch (IOException | RuntimeException e) {
            listener.phaseDone(LoginListener.Phase.COSIGN_PIPELINED, System.nanoTime() - t0, false);
            throw e;
        }
        return () -> {
            boolean ok = false;
            try {
                MiniHttp.Response r = pending.answer();
                ok = true;
                return r;
            } finally {
                listener.phaseDone(LoginListener.Phase.COSIGN_PIPELINED, System.nanoTime() - t0, ok);
            }
        };
    }
}
