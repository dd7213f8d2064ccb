package io.gmgate.app.drills;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.gmgate.proxy.ProxyV2Header;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * The trading front (交易前置) of a drill, in the test JVM: it keeps a ledger of every order it
 * received and records an order before acknowledging it, so "acknowledged" always means "in the
 * ledger". Two doors, as at a real firm: the gateway door, which reads the gateway's PROXY v2
 * header (verified account, access mode), and the original direct door (网上交易系统原接入端) that
 * docs/drills.md C1 maps terminals to when every gateway is down. Orders are lines {@code ORDER <id>};
 * answers {@code ACK <account> <id>}. An order seen twice (a terminal resending after its node died)
 * is acknowledged again but booked once.
 */
final class LedgerFront implements AutoCloseable {

    /** One booked order: who the front believed sent it and by which path it came first. */
    record Booked(String orderId, String account, String path, int receipts) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, Booked> ledger = new ConcurrentHashMap<>();
    private NetServer gatewayDoor;
    private NetServer directDoor;

    LedgerFront start() throws Exception {
        gatewayDoor = vertx.createNetServer().connectHandler(s -> serve(s, true));
        directDoor = vertx.createNetServer().connectHandler(s -> serve(s, false));
        await(gatewayDoor.listen(0, "127.0.0.1"));
        await(directDoor.listen(0, "127.0.0.1"));
        return this;
    }

    int gatewayPort() {
        return gatewayDoor.actualPort();
    }

    int directPort() {
        return directDoor.actualPort();
    }

    /** The orders booked for one terminal (ids start with its name). */
    Map<String, Booked> bookedFor(String terminal) {
        return ledger.values().stream().filter(b -> b.orderId().startsWith(terminal + "-"))
                .collect(Collectors.toMap(Booked::orderId, b -> b));
    }

    Set<String> paths() {
        return ledger.values().stream().map(Booked::path).collect(Collectors.toSet());
    }

    int size() {
        return ledger.size();
    }

    /**
     * The drill's data check for one terminal: every order it counted as acknowledged is in the
     * ledger, booked once, under the account the front named; it never skipped a number; and at
     * most the one order in flight when it stopped is booked without an acknowledgement. Returns a
     * line for the report (orders, paths, resent orders).
     */
    String assertNothingLost(Terminal t) {
        Map<String, Booked> booked = bookedFor(t.name);
        java.util.List<Terminal.Ack> acks = t.acks();
        for (int i = 0; i < acks.size(); i++) {
            Terminal.Ack a = acks.get(i);
            if (!a.orderId().equals(t.name + "-" + (i + 1))) {
                throw new AssertionError(t.name + ": acknowledgement " + (i + 1) + " is for " + a.orderId());
            }
            Booked b = booked.get(a.orderId());
            if (b == null) {
                throw new AssertionError(t.name + ": order " + a.orderId() + " was acknowledged (" + a.path()
                        + ") but is not in the front's ledger");
            }
            if (!b.account().equals(a.account())) {
                throw new AssertionError(t.name + ": order " + a.orderId() + " booked for " + b.account() + ", acknowledged for "
                        + a.account());
            }
            if (a.path().equals("two-way") && !a.account().equals(t.account())) {
                throw new AssertionError(t.name + ": two-way order " + a.orderId() + " booked for " + a.account()
                        + ", not the terminal's verified account " + t.account());
            }
        }
        Set<String> unacked = new java.util.TreeSet<>(booked.keySet());
        acks.forEach(a -> unacked.remove(a.orderId()));
        if (unacked.size() > 1 || (unacked.size() == 1 && !unacked.contains(t.name + "-" + (acks.size() + 1)))) {
            throw new AssertionError(t.name + ": booked but never acknowledged: " + unacked);
        }
        Map<String, Long> byPath = acks.stream().collect(Collectors.groupingBy(Terminal.Ack::path, java.util.TreeMap::new,
                Collectors.counting()));
        long resent = booked.values().stream().filter(b -> b.receipts() > 1).count();
        return t.name + ": " + acks.size() + " orders acknowledged, all in the ledger " + byPath + ", " + resent
                + " resent after a failure and booked once" + (unacked.isEmpty() ? "" : ", 1 in flight at the end")
                + "; failures seen " + new java.util.TreeMap<>(t.failures());
    }

    private void serve(NetSocket socket, boolean behindGateway) {
        ProxyV2Header[] header = new ProxyV2Header[1];
        RecordParser lines = RecordParser.newDelimited("\n", line -> {
            String text = line.toString(StandardCharsets.UTF_8).trim();
            if (!text.startsWith("ORDER ")) {
                socket.write("REJECT " + text + "\n");
                return;
            }
            String id = text.substring(6);
            String account = header[0] == null ? "anonymous"
                    : header[0].tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).map(ProxyV2Header.Tlv::text).orElse("anonymous");
            String path = header[0] == null ? "DIRECT"
                    : header[0].tlv(ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).map(ProxyV2Header.Tlv::text).orElse("?");
            // a resend (its first answer was lost with a node) is booked once; the answer that reaches the
            // terminal is the last receipt's, which may have come another way (two-way, then plain)
            ledger.merge(id, new Booked(id, account, path, 1),
                    (old, now) -> new Booked(id, now.account(), now.path(), old.receipts() + 1));
            socket.write("ACK " + account + " " + id + "\n");
        });
        if (!behindGateway) {
            socket.handler(lines);
            return;
        }
        io.gmgate.app.demo.ProxyHeaderFirst.install(socket, h -> header[0] = h, lines);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }
}
