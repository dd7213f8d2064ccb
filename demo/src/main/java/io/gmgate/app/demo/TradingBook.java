package io.gmgate.app.demo;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.gmgate.app.demo.FrontProtocol.Order;

/**
 * The demo front's orders and positions, per account. LIMIT orders rest until cancelled (nothing
 * crosses them); MARKET orders fill at once, whole, at one simulated price. Shared by every
 * connection of the front — fronts run on several event loops — so every method locks the book.
 */
final class TradingBook {

    /** The simulated last price every MARKET order fills at. */
    static final BigDecimal MARKET_PRICE = new BigDecimal("3500");

    /** Open orders kept per account; a front refuses more rather than grow without bound. */
    static final int MAX_OPEN_ORDERS = 100_000;

    /** What placing an order did: its id, and the fill when it was a MARKET order. */
    record Placed(String orderId, Optional<Fill> fill) {
    }

    record Fill(long qty, BigDecimal price) {
    }

    private final Map<String, Map<String, Order>> openOrders = new HashMap<>();
    private final Map<String, SortedMap<String, Long>> positions = new HashMap<>();
    private long nextOrder = 1;

    /** Empty when the account already has {@link #MAX_OPEN_ORDERS} open orders and this one would rest. */
    synchronized Optional<Placed> place(String account, Order order) {
        Map<String, Order> open = openOrders.computeIfAbsent(account, a -> new LinkedHashMap<>());
        if (order.limitPrice().isPresent() && open.size() >= MAX_OPEN_ORDERS) {
            return Optional.empty();
        }
        String orderId = "O" + nextOrder++;
        if (order.limitPrice().isPresent()) {
            open.put(orderId, order);
            return Optional.of(new Placed(orderId, Optional.empty()));
        }
        positions.computeIfAbsent(account, a -> new TreeMap<>())
                .merge(order.instrument(), order.side().signed(order.qty()), Long::sum);
        return Optional.of(new Placed(orderId, Optional.of(new Fill(order.qty(), MARKET_PRICE))));
    }

    /** True when {@code orderId} was open for this account (and now is cancelled). */
    synchronized boolean cancel(String account, String orderId) {
        Map<String, Order> open = openOrders.get(account);
        return open != null && open.remove(orderId) != null;
    }

    /** Net filled quantity per instrument the account has traded, by instrument name. */
    synchronized SortedMap<String, Long> positions(String account) {
        return new TreeMap<>(positions.getOrDefault(account, new TreeMap<>()));
    }

    synchronized int openOrders(String account) {
        return openOrders.getOrDefault(account, Map.of()).size();
    }
}
