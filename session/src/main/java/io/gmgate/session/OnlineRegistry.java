package io.gmgate.session;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * Who is online, cluster-wide (design §9): one entry per relayed connection, written by the node
 * carrying it. When a member leaves the cluster — crashed or stopped — the surviving members drop
 * its entries, so the list never shows terminals of a dead node.
 *
 * <p>Entries are written in batches, {@link #DEFAULT_WRITE_AFTER} after the first of them: a
 * connection that ends before its batch leaves costs the cluster nothing (a login storm's probes,
 * a terminal that fails right after its handshake), and the others share one write. The list shows
 * a new connection that much later; a delete waits for its entry's write, so it never revives.
 */
public final class OnlineRegistry implements AutoCloseable {

    public static final String MAP = "gmgate.online";
    /** How long an entry may wait for its batch. */
    public static final Duration DEFAULT_WRITE_AFTER = Duration.ofMillis(200);

    private final IMap<String, String> map;
    private final HazelcastInstance hazelcast;
    private final String node;
    private final UUID listener;
    private final Duration writeAfter;
    private final ScheduledExecutorService batches;
    private final Object lock = new Object();
    /** Entries waiting for their batch, in arrival order; guarded by {@link #lock}. */
    private final Map<String, Unwritten> unwritten = new LinkedHashMap<>();
    /** Entries of the batch being written, until the cluster answered; added under {@link #lock}. */
    private final Map<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();
    private boolean batchDue;

    private record Unwritten(String value, CompletableFuture<Void> written, java.util.function.LongConsumer writeNanos) {
    }

    public OnlineRegistry(HazelcastInstance hazelcast) {
        this(hazelcast, DEFAULT_WRITE_AFTER);
    }

    /** With entries waiting at most {@code writeAfter} (at least 1 ms) for their batch. */
    public OnlineRegistry(HazelcastInstance hazelcast, Duration writeAfter) {
        if (writeAfter.toMillis() < 1) {
            throw new IllegalArgumentException("writeAfter of at least 1 ms, not " + writeAfter);
        }
        this.writeAfter = writeAfter;
        this.batches = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gmgate-online-batches");
            t.setDaemon(true);
            return t;
        });
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

    /**
     * Registers a connection carried by this node (the entry's node is this member, whatever was
     * passed) with the next batch. Asynchronous, because the gateway calls it on an event loop for
     * every connection: a blocking map write there parks the loop for a cluster round trip. Completes
     * once the entry is written, or once it is dropped because its connection closed first.
     */
    public CompletionStage<Void> opened(OnlineTerminal t) {
        return opened(t, nanos -> { });
    }

    /**
     * As {@link #opened(OnlineTerminal)}, telling {@code writeNanos} how long the cluster took to
     * write the entry's batch (the wait for the batch not included); not called for an entry whose
     * connection closed before its batch.
     */
    public CompletionStage<Void> opened(OnlineTerminal t, java.util.function.LongConsumer writeNanos) {
        String value = new OnlineTerminal(t.connectionId(), node, t.listener(), t.account(), t.source(), t.protocol(), t.suite(),
                t.since(), t.bytesUp(), t.bytesDown()).encode();
        CompletableFuture<Void> written = new CompletableFuture<>();
        synchronized (lock) {
            Unwritten replaced = unwritten.put(t.connectionId(), new Unwritten(value, written, writeNanos));
            if (replaced != null) {
                written.whenComplete((v, e) -> replaced.written().complete(null));
            }
            if (!batchDue && !batches.isShutdown()) {
                batchDue = true;
                batches.schedule(this::writeBatch, writeAfter.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (batches.isShutdown()) {
            writeBatch(); // closed: no batch will come
        }
        return written;
    }

    private void writeBatch() {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Unwritten> done = new LinkedHashMap<>();
        synchronized (lock) {
            batchDue = false;
            unwritten.forEach((id, u) -> {
                entries.put(id, u.value());
                done.put(id, u);
                writing.put(id, u.written());
            });
            unwritten.clear();
        }
        if (entries.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        CompletionStage<Void> put;
        try {
            put = map.setAllAsync(entries);
        } catch (RuntimeException e) {
            put = CompletableFuture.failedFuture(e);
        }
        put.whenComplete((v, e) -> {
            long took = System.nanoTime() - started;
            done.forEach((id, u) -> {
                writing.remove(id, u.written());
                if (e == null) {
                    try {
                        u.writeNanos().accept(took);
                    } finally {
                        u.written().complete(null);
                    }
                } else {
                    u.written().completeExceptionally(e);
                }
            });
        });
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

    /**
     * Drops a connection's entry; asynchronous for the same reason as {@link #opened}. An entry still
     * waiting for its batch is dropped here, with no cluster write at all; one being written is
     * deleted once its write has completed.
     */
    public CompletionStage<Boolean> closed(String connectionId) {
        CompletableFuture<Void> inFlight;
        synchronized (lock) {
            Unwritten u = unwritten.remove(connectionId);
            if (u != null) {
                u.written().complete(null);
                return CompletableFuture.completedFuture(true);
            }
            inFlight = writing.get(connectionId);
        }
        if (inFlight == null) {
            return map.deleteAsync(connectionId);
        }
        return inFlight.handle((v, e) -> null).thenCompose(x -> map.deleteAsync(connectionId));
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
        synchronized (lock) {
            batches.shutdown();
        }
        writeBatch(); // what waited goes out now: the cluster drops this member's entries when it leaves
        hazelcast.getCluster().removeMembershipListener(listener);
    }
}
