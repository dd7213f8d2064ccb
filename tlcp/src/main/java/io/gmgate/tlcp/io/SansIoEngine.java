package io.gmgate.tlcp.io;

/**
 * What a transport needs of a sans-IO secure-channel engine, TLCP or TLS 1.3: network bytes in,
 * network bytes out, application bytes through. Failures are thrown by the call that met them, after
 * the alert for the peer was queued in {@link #takeOutput}.
 */
public interface SansIoEngine {

    /** Network bytes received from the peer; may run a key operation during the handshake. */
    void feed(byte[] data, int offset, int length);

    /** The transport reached end of stream; throws when that cuts the handshake or a record short. */
    void endOfInput();

    /** Takes all bytes waiting for the peer (possibly none). */
    byte[] takeOutput();

    boolean hasOutput();

    /** Takes all decrypted application bytes (possibly none). */
    byte[] read();

    /** Encrypts application bytes; only after the handshake. */
    void write(byte[] data);

    /** Queues close_notify. */
    void close();

    boolean isHandshakeComplete();

    /** True once closed by either side or failed. */
    boolean isClosed();
}
