package io.gmgate.session;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
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
 * as their time-to-live. An entry is the session without its master secret, in clear, and the master
 * secret sealed under a card key ({@link ClusterSeal}) with the session id and that clear part as
 * associated data: a dump of the map gives no master secret, and an entry a member without the card
 * wrote, altered (another certificate, key record or listener) or moved to another id does not open,
 * so it is refused (MODE-330, logged) and the terminal does a full handshake. What stays in clear is
 * what the handshake showed on the wire anyway: the session id and the terminal's certificates.
 *
 * <p>Entry: {@value #ENTRY_FORMAT} ‖ length of the clear part (4) ‖ clear part ‖ sealed master secret.
 */
public final class ClusterSessionCache implements SessionCache {

    public static final String MAP = "gmgate.tlcp.sessions";
    static final String PURPOSE = "tlcp-session";
    /** The first byte of an entry; the previous version's entries began with ClusterSeal's own 1. */
    public static final byte ENTRY_FORMAT = 2;
    private static final byte PREVIOUS_FORMAT = 1;
    private static final int HEAD = 1 + 4;
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
        if (stored.length > 0 && stored[0] == PREVIOUS_FORMAT) {
            return Optional.empty(); // written by the previous version during an upgrade: it expires by itself
        }
        byte[] master = null;
        try {
            ByteBuffer in = ByteBuffer.wrap(stored);
            int clearLength = stored.length < HEAD || in.get() != ENTRY_FORMAT ? -1 : in.getInt();
            if (clearLength < 0 || clearLength > in.remaining()) {
                throw new SessionException(SessionErrors.SEAL_BROKEN, "a cached session is not in the entry format ("
                        + stored.length + " bytes)");
            }
            byte[] clear = Arrays.copyOfRange(stored, HEAD, HEAD + clearLength);
            byte[] sealed = Arrays.copyOfRange(stored, HEAD + clearLength, stored.length);
            master = seal.open(PURPOSE, associated(id, clear), sealed);
            return Optional.of(SessionState.fromBytes(clear, master));
        } catch (GmgateException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (session " + key
                    + "): full handshake instead");
            map.remove(key, stored);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            map.remove(key, stored); // sealed by this site but not a session this version reads: not resumable
            return Optional.empty();
        } finally {
            if (master != null) {
                Arrays.fill(master, (byte) 0);
            }
        }
    }

    @Override
    public void put(SessionState session) {
        byte[] id = session.id();
        byte[] clear = session.toBytesWithoutSecret();
        byte[] master = session.masterSecret();
        try {
            byte[] sealed = seal.seal(PURPOSE, associated(id, clear), master);
            byte[] entry = ByteBuffer.allocate(HEAD + clear.length + sealed.length)
                    .put(ENTRY_FORMAT).putInt(clear.length).put(clear).put(sealed).array();
            map.set(session.idHex(), entry, lifetime.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    @Override
    public void remove(byte[] id) {
        map.delete(HexFormat.of().formatHex(id));
    }

    /** id length ‖ id ‖ clear part: the place and the description the sealed secret belongs to. */
    private static byte[] associated(byte[] id, byte[] clear) {
        return ByteBuffer.allocate(1 + id.length + clear.length).put((byte) id.length).put(id).put(clear).array();
    }
}
