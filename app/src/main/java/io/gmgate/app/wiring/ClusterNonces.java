package io.gmgate.app.wiring;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;

import io.gmgate.cosign.state.Nonces;
import io.gmgate.cosign.state.Tokens;

/**
 * Request nonces shared by every cosign node (design §10 "stateless nodes"): a nonce issued by one
 * node is consumed exactly once on any node — {@code remove} on the cluster map is atomic — and
 * lives no longer than its short life. Markers for other single-use things work the same way.
 */
public final class ClusterNonces implements Nonces {

    private final IMap<String, Long> nonces;
    private final IMap<String, Long> markers;
    private final Duration life;

    public ClusterNonces(com.hazelcast.core.HazelcastInstance hz, Duration life) {
        this.nonces = hz.getMap("gmgate.cosign.nonces");
        this.markers = hz.getMap("gmgate.cosign.markers");
        this.life = life;
    }

    @Override
    public String issue(String sessionId) {
        String nonce = Tokens.id();
        nonces.set(sessionId + ":" + nonce, System.currentTimeMillis(), life.toMillis(), TimeUnit.MILLISECONDS);
        return nonce;
    }

    @Override
    public boolean consume(String sessionId, String nonce) {
        return nonces.remove(sessionId + ":" + nonce) != null;
    }

    @Override
    public boolean firstUse(String key, Duration ttl) {
        return markers.putIfAbsent(key, System.currentTimeMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void forget(String sessionId) {
        String prefix = sessionId + ":";
        nonces.removeAll(e -> e.getKey().startsWith(prefix));
    }
}
