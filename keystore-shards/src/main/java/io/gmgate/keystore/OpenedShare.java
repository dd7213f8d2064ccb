package io.gmgate.keystore;

import io.gmgate.crypto.twoparty.ServerKeyShare;

/**
 * A server share opened for one operation, with the record it came from. Close it (try-with-resources)
 * as soon as the operation is done: that destroys the share object.
 */
public record OpenedShare(KeyRecord key, ServerKeyShare share) implements AutoCloseable {

    @Override
    public void close() {
        share.destroy();
    }

    @Override
    public String toString() {
        return "OpenedShare[" + key + ", share redacted]";
    }
}
