package io.gmgate.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.policy.Rollout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * A small simulated trading front (交易前置) for the demo and the tests: reads the gateway's PROXY v2
 * header like a real front would, then serves login, orders, cancels, fill reports and positions
 * ({@link FrontProtocol}) for the account the gateway verified — so the demo shows the identity
 * crossing the gateway, not just bytes. Orders and positions live in one {@link TradingBook}.
 */
public final class DemoTradingFront {

    private static final int KEPT_HEADERS = 1024;

    private final Vertx vertx;
    /** The last headers received, newest last; bounded, as load runs open connections by the million. */
    private final java.util.Deque<ProxyV2Header> headers = new java.util.ArrayDeque<>();
    private final TradingBook book = new TradingBook();
    private final Rollout rollout;
    private NetServer server;

    public DemoTradingFront(Vertx vertx) {
        this(vertx, Rollout.EVERYONE);
    }

    /**
     * A front that applies a gradual rollout to plain logins, as a firm's counter must: the gateway
     * cannot see accounts inside the trading protocol (docs/session.md, "Gradual rollout").
     */
    public DemoTradingFront(Vertx vertx, Rollout rollout) {
        this.vertx = vertx;
        this.rollout = rollout;
    }

    public Future<Integer> listen() {
        server = vertx.createNetServer();
        server.connectHandler(this::serve);
        return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
    }

    /** The PROXY headers of the most recent connections (up to 256), oldest first. */
    public List<ProxyV2Header> headers() {
        synchronized (headers) {
            return List.copyOf(headers);
        }
    }

    private void remember(ProxyV2Header h) {
        synchronized (headers) {
            if (headers.size() == KEPT_HEADERS) {
                headers.removeFirst();
            }
            headers.addLast(h);
        }
    }

    private void serve(NetSocket socket) {
        FrontSession[] session = new FrontSession[1];
        RecordParser lines = RecordParser.newDelimited("\n", line -> {
            StringBuilder answer = new StringBuilder();
            for (String l : session[0].answer(line.toString(StandardCharsets.UTF_8))) {
                answer.append(l).append('\n');
            }
            socket.write(answer.toString()); // one write, so ACK and FILL travel together
        });
        lines.maxRecordSize(4096); // a line is a short request; anything longer is not one
        lines.exceptionHandler(e -> socket.close());
        ProxyHeaderFirst.install(socket, h -> {
            remember(h);
            session[0] = new FrontSession(h.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).map(ProxyV2Header.Tlv::text), book,
                    plainLoginRule(h, rollout));
        }, lines);
    }

    /**
     * Who may log in without a verified identity: anyone on a GM path (one-way: the trader logs in
     * in-band) or in an emergency (BYPASS); on the plain path otherwise, only accounts the rollout
     * does not yet require on GM.
     */
    static java.util.function.Predicate<String> plainLoginRule(ProxyV2Header h, Rollout rollout) {
        boolean gm = h.tlv(ProxyV2Header.TYPE_SSL).isPresent();
        boolean emergency = h.tlv(ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).map(ProxyV2Header.Tlv::text)
                .filter("BYPASS"::equals).isPresent();
        return gm || emergency ? account -> true : account -> !rollout.requiresGm(account);
    }

    /** Net filled quantity per instrument for {@code account}, as POSITIONS would answer it. */
    public java.util.SortedMap<String, Long> positions(String account) {
        return book.positions(account);
    }

    public int openOrders(String account) {
        return book.openOrders(account);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
