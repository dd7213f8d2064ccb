package io.gmgate.tlcp;

import java.util.Optional;

/**
 * Where sessions wait to be resumed. The gateway backs it with the cluster (a terminal resumes on
 * any node); {@link InMemorySessionCache} serves one process. Implementations bound their size and
 * drop sessions older than their lifetime. Calls happen on a worker thread during handshakes.
 */
public interface SessionCache {

    SessionCache NONE = new SessionCache() {
        @Override
        public Optional<SessionState> get(byte[] id) {
            return Optional.empty();
        }

        @Override
        public void put(SessionState session) {
        }

        @Override
        public void remove(byte[] id) {
        }
    };

    Optional<SessionState> get(byte[] id);

    void put(SessionState session);

    void remove(byte[] id);
}
