package io.gmgate.session;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;

import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.SessionState;

/**
 * The TLCP session cache shared by every gateway node (design §5 of the issue: a terminal that
 * reconnects to another node resumes with an abbreviated handshake). Entries live in a Hazelcast
 * map with the session lifetime as their time-to-live. The master secrets in it make the cluster
 * network as sensitive as the nodes: keep port 5701 inside the NetworkPolicy.
 */
public final class ClusterSessionCache implements SessionCache {

    public static final String MAP = "gmgate.tlcp.sessions";

    private final IMap<String, byte[]> map;
    private final Duration lifetime;

    public ClusterSessionCache(IMap<String, byte[]> map, Duration lifetime) {
        this.map = map;
        this.lifetime = lifetime;
    }

    @Override
    public Optional<SessionState> get(byte[] id) {
        byte[] stored = map.get(HexFormat.of().formatHex(id));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionState.fromBytes(stored));
        } catch (IllegalArgumentException e) {
            map.remove(HexFormat.of().formatHex(id)); // written by another version: not resumable
            return Optional.empty();
        }
    }

    @Override
    public void put(SessionState session) {
        map.set(session.idHex(), session.toBytes(), lifetime.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void remove(byte[] id) {
        map.delete(HexFormat.of().formatHex(id));
    }
}
