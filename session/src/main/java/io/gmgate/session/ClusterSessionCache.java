package io.gmgate.session;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;

import io.gmgate.error.GmgateException;
import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.SessionState;

/**
 * The TLCP session cache shared by every gateway node (a terminal that reconnects to another node
 * resumes with an abbreviated handshake). Entries live in a Hazelcast map with the session lifetime
 * as their time-to-live, each the whole serialized session sealed under a card key with the session
 * id as associated data ({@link ClusterSeal}): a dump of the map gives no master secret, and an entry
 * a member without the card wrote — or one moved to another id — does not open, so it is refused
 * (MODE-330, logged) and the terminal does a full handshake.
 */
public final class ClusterSessionCache implements SessionCache {

    public static final String MAP = "gmgate.tlcp.sessions";
    static final String PURPOSE = "tlcp-session";
    private static final System.Logger LOG = System.getLogger(ClusterSessionCache.class.getName());

    private final IMap<String, byte[]> map;
    private final Duration lifetime;
    private final ClusterSeal seal;

    public ClusterSessionCache(IMap<String, byte[]> map, Duration lifetime, ClusterSeal seal) {
        this.map = map;
        this.lifetime = lifetime;
        this.seal = seal;
    }

    @Override
    public Optional<SessionState> get(byte[] id) {
        String key = HexFormat.of().formatHex(id);
        byte[] stored = map.get(key);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            byte[] plain = seal.open(PURPOSE, id, stored);
            try {
                return Optional.of(SessionState.fromBytes(plain));
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        } catch (GmgateException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (session " + key
                    + "): full handshake instead");
            map.remove(key, stored);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            map.remove(key, stored); // sealed by this site but written by another version: not resumable
            return Optional.empty();
        }
    }

    @Override
    public void put(SessionState session) {
        byte[] plain = session.toBytes();
        try {
            map.set(session.idHex(), seal.seal(PURPOSE, session.id(), plain), lifetime.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public void remove(byte[] id) {
        map.delete(HexFormat.of().formatHex(id));
    }
}
