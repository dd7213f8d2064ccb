package io.gmgate.session;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * Who is online, cluster-wide (design §9): one entry per relayed connection, written by the node
 * carrying it. When a member leaves the cluster — crashed or stopped — the surviving members drop
 * its entries, so the list never shows terminals of a dead node.
 */
public final class OnlineRegistry implements AutoCloseable {

    public static final String MAP = "gmgate.online";

    private final IMap<String, String> map;
    private final HazelcastInstance hazelcast;
    private final String node;
    private final UUID listener;

    public OnlineRegistry(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP);
        this.node = memberId(hazelcast);
        this.listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                String gone = e.getMember().getUuid().toString();
                map.removeAll(entry -> OnlineTerminal.decode(entry.getValue()).node().equals(gone));
            }
        });
    }

    /** This member's id: what entries it writes carry as their node. */
    public static String memberId(HazelcastInstance hz) {
        return hz.getCluster().getLocalMember().getUuid().toString();
    }

    /** Registers a connection carried by this node (the entry's node is this member, whatever was passed). */
    public void opened(OnlineTerminal t) {
        map.set(t.connectionId(), new OnlineTerminal(t.connectionId(), node, t.listener(), t.account(), t.source(),
                t.protocol(), t.suite(), t.since(), t.bytesUp(), t.bytesDown()).encode());
    }

    /** New byte counts for a connection still registered; a compare-and-set, so it never revives a closed one. */
    public void updated(String connectionId, long bytesUp, long bytesDown) {
        String current = map.get(connectionId);
        if (current != null) {
            OnlineTerminal t = OnlineTerminal.decode(current);
            map.replace(connectionId, current, new OnlineTerminal(t.connectionId(), t.node(), t.listener(), t.account(),
                    t.source(), t.protocol(), t.suite(), t.since(), bytesUp, bytesDown).encode());
        }
    }

    public void closed(String connectionId) {
        map.delete(connectionId);
    }

    public Optional<OnlineTerminal> get(String connectionId) {
        return Optional.ofNullable(map.get(connectionId)).map(OnlineTerminal::decode);
    }

    public List<OnlineTerminal> all() {
        return map.values().stream().map(OnlineTerminal::decode).sorted(Comparator.comparing(OnlineTerminal::since)).toList();
    }

    public String node() {
        return node;
    }

    @Override
    public void close() {
        hazelcast.getCluster().removeMembershipListener(listener);
    }
}
