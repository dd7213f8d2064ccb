package io.gmgate.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.gmgate.app.demo.FrontProtocol.Cancel;
import io.gmgate.app.demo.FrontProtocol.Login;
import io.gmgate.app.demo.FrontProtocol.Malformed;
import io.gmgate.app.demo.FrontProtocol.Order;
import io.gmgate.gateway.GatewayErrors;

/**
 * One terminal connection at the demo front, without I/O: request lines in, answer lines out.
 * Nothing but LOGIN is served before LOGIN. When the gateway's PROXY v2 header carried the account
 * it verified from the terminal's certificate, LOGIN must name that account — a terminal holding one
 * trader's certificate cannot trade as another; on the plain (bypass, one-way) path there is no
 * verified identity and the front takes the LOGIN as it comes, as fronts did before the gateway —
 * except, during a gradual rollout, an account that must already use GM (FRONT-315).
 */
final class FrontSession {

    private final Optional<String> verifiedAccount;
    private final TradingBook book;
    private final Predicate<String> admitsWithoutIdentity;
    private Optional<String> account = Optional.empty();

    FrontSession(Optional<String> verifiedAccount, TradingBook book) {
        this(verifiedAccount, book, account -> true);
    }

    /** {@code admitsWithoutIdentity}: whether an account may log in on this connection when nobody verified it. */
    FrontSession(Optional<String> verifiedAccount, TradingBook book, Predicate<String> admitsWithoutIdentity) {
        this.verifiedAccount = verifiedAccount;
        this.book = book;
        this.admitsWithoutIdentity = admitsWithoutIdentity;
    }

    Optional<String> account() {
        return account;
    }

    List<String> answer(String line) {
        FrontProtocol.Request request = FrontProtocol.parse(line);
        if (request instanceof Malformed m) {
            return List.of(FrontProtocol.error(GatewayErrors.FRONT_BAD_REQUEST, m.why()));
        }
        if (request instanceof Login login) {
            return List.of(login(login.account()));
        }
        if (account.isEmpty()) {
            return List.of(FrontProtocol.error(GatewayErrors.FRONT_NOT_LOGGED_IN, "log in first: LOGIN <account>"));
        }
        String who = account.get();
        if (request instanceof Order order) {
            return order(who, order);
        }
        if (request instanceof Cancel cancel) {
            return List.of(book.cancel(who, cancel.orderId()) ? FrontProtocol.cancelled(cancel.orderId())
                    : FrontProtocol.notOpen(cancel.orderId()));
        }
        return positions(who);
    }

    private String login(String requested) {
        if (verifiedAccount.isPresent() && !verifiedAccount.get().equals(requested)) {
            return FrontProtocol.error(GatewayErrors.FRONT_ACCOUNT_MISMATCH,
                    "the gateway verified " + verifiedAccount.get() + ", not " + requested);
        }
        if (verifiedAccount.isEmpty() && !admitsWithoutIdentity.test(requested)) {
            return FrontProtocol.error(GatewayErrors.FRONT_GM_REQUIRED, requested + " must log in over GM two-way (rollout)");
        }
        account = Optional.of(requested);
        return FrontProtocol.loggedIn(requested);
    }

    private List<String> order(String who, Order order) {
        return book.place(who, order)
                .map(placed -> {
                    List<String> lines = new ArrayList<>(2);
                    lines.add(FrontProtocol.ack(who, placed.orderId(), order.clOrdId()));
                    placed.fill().ifPresent(f -> lines.add(FrontProtocol.fill(placed.orderId(), f.qty(), f.price())));
                    return List.copyOf(lines);
                })
                .orElseGet(() -> List.of(FrontProtocol.error(GatewayErrors.FRONT_TOO_MANY_OPEN_ORDERS,
                        who + " has " + TradingBook.MAX_OPEN_ORDERS + " open orders")));
    }

    private List<String> positions(String who) {
        List<String> lines = new ArrayList<>();
        book.positions(who).forEach((instrument, net) -> lines.add(FrontProtocol.position(instrument, net)));
        lines.add(FrontProtocol.END_POSITIONS);
        return List.copyOf(lines);
    }
}
