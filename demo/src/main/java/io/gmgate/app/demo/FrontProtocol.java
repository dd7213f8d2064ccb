package io.gmgate.app.demo;

import java.math.BigDecimal;
import java.util.Optional;

import io.gmgate.error.ErrorCode;
import io.gmgate.gateway.GatewayErrors;

/**
 * The demo trading front's line protocol, one request per line:
 * <pre>
 * LOGIN &lt;account&gt;                                     → OK LOGIN &lt;account&gt;
 * ORDER &lt;clOrdId&gt; &lt;instrument&gt; &lt;BUY|SELL&gt; &lt;qty&gt; LIMIT &lt;price&gt; → ACK &lt;account&gt; &lt;orderId&gt; &lt;clOrdId&gt;
 * ORDER &lt;clOrdId&gt; &lt;instrument&gt; &lt;BUY|SELL&gt; &lt;qty&gt; MARKET  → ACK …, then FILL &lt;orderId&gt; &lt;qty&gt; &lt;price&gt;
 * CANCEL &lt;orderId&gt;                                   → CANCELLED &lt;orderId&gt;
 * POSITIONS                                          → POSITION &lt;instrument&gt; &lt;net qty&gt; …, then END POSITIONS
 * anything refused                                   → ERR FRONT-nnn &lt;text&gt;
 * </pre>
 * Load generators and tests speak it too, so it changes only together with them.
 */
public final class FrontProtocol {

    public static final String END_POSITIONS = "END POSITIONS";

    public enum Side {
        BUY(1), SELL(-1);

        private final int sign;

        Side(int sign) {
            this.sign = sign;
        }

        long signed(long qty) {
            return sign * qty;
        }
    }

    /** One parsed request line. */
    public sealed interface Request permits Login, Order, Cancel, Positions, Malformed {
    }

    public record Login(String account) implements Request {
    }

    /** A LIMIT order carries its price; a MARKET order has none. */
    public record Order(String clOrdId, String instrument, Side side, long qty, Optional<BigDecimal> limitPrice)
            implements Request {
    }

    public record Cancel(String orderId) implements Request {
    }

    public record Positions() implements Request {
    }

    /** A line that is not a request: {@code why} says what is wrong with it. */
    public record Malformed(String why) implements Request {
    }

    private FrontProtocol() {
    }

    public static Request parse(String line) {
        String[] w = line.trim().split("\\s+");
        return switch (w[0]) {
            case "LOGIN" -> w.length == 2 ? new Login(w[1]) : new Malformed("usage: LOGIN <account>");
            case "ORDER" -> order(w);
            case "CANCEL" -> w.length == 2 ? new Cancel(w[1]) : new Malformed("usage: CANCEL <orderId>");
            case "POSITIONS" -> w.length == 1 ? new Positions() : new Malformed("usage: POSITIONS");
            default -> new Malformed("unknown request '" + abbreviate(w[0]) + "': LOGIN, ORDER, CANCEL or POSITIONS");
        };
    }

    private static Request order(String[] w) {
        boolean limit = w.length == 7 && w[5].equals("LIMIT");
        boolean market = w.length == 6 && w[5].equals("MARKET");
        if (!limit && !market) {
            return new Malformed("usage: ORDER <clOrdId> <instrument> <BUY|SELL> <qty> LIMIT <price> | MARKET");
        }
        if (!w[3].equals("BUY") && !w[3].equals("SELL")) {
            return new Malformed("side must be BUY or SELL, not '" + abbreviate(w[3]) + "'");
        }
        long qty;
        try {
            qty = Long.parseLong(w[4]);
        } catch (NumberFormatException e) {
            qty = 0;
        }
        if (qty <= 0 || qty > 1_000_000) {
            return new Malformed("quantity must be a whole number from 1 to 1000000, not '" + abbreviate(w[4]) + "'");
        }
        Optional<BigDecimal> price = Optional.empty();
        if (limit) {
            try {
                price = Optional.of(new BigDecimal(w[6])).filter(p -> p.signum() > 0);
            } catch (NumberFormatException e) {
                price = Optional.empty();
            }
            if (price.isEmpty()) {
                return new Malformed("limit price must be a positive number, not '" + abbreviate(w[6]) + "'");
            }
        }
        return new Order(w[1], w[2], Side.valueOf(w[3]), qty, price);
    }

    public static String loggedIn(String account) {
        return "OK LOGIN " + account;
    }

    public static String ack(String account, String orderId, String clOrdId) {
        return "ACK " + account + " " + orderId + " " + clOrdId;
    }

    public static String fill(String orderId, long qty, BigDecimal price) {
        return "FILL " + orderId + " " + qty + " " + price.toPlainString();
    }

    public static String cancelled(String orderId) {
        return "CANCELLED " + orderId;
    }

    public static String position(String instrument, long net) {
        return "POSITION " + instrument + " " + net;
    }

    public static String error(ErrorCode code, String text) {
        return "ERR " + code.code() + " " + text;
    }

    public static String notOpen(String orderId) {
        return error(GatewayErrors.FRONT_ORDER_NOT_OPEN, orderId + " not open");
    }

    /** Echoes of what a peer sent stay short: a refusal must not become an amplifier. */
    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "...";
    }
}
