package io.gmgate.perf.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.gmgate.app.demo.FrontClient;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.proxy.VerifiedPeer;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The load generator's terminal on the trading front's line protocol (the demo front's
 * FrontProtocol, spoken through its {@link FrontClient}), checking every answer it counts:
 * <pre>
 * LOGIN &lt;account&gt;                                              → OK LOGIN &lt;account&gt;
 * ORDER &lt;clOrdId&gt; &lt;instrument&gt; &lt;BUY|SELL&gt; &lt;qty&gt; LIMIT &lt;price&gt; → ACK &lt;account&gt; &lt;orderId&gt; &lt;clOrdId&gt;
 * CANCEL &lt;orderId&gt;                                            → CANCELLED &lt;orderId&gt;
 * </pre>
 * Any other answer (an {@code ERR FRONT-…} line, or a front that speaks another protocol) fails the
 * request with the line it got, so a load run never counts an answer it did not understand.
 */
final class TradingLine implements AutoCloseable {

    private final String account;
    private final FrontClient front;
    private final AutoCloseable connection;
    private long sent;

    private TradingLine(String account, FrontClient front, AutoCloseable connection) {
        this.account = account;
        this.front = front;
        this.connection = connection;
    }

    /** Over a TLCP channel through gmgate, logged in as {@code account}. */
    static TradingLine overGateway(TlcpSocket channel, String account) throws IOException {
        return login(account, channel.getOutputStream(), channel.getInputStream(), channel);
    }

    /**
     * Straight to the front on {@code port}, introduced by the PROXY v2 header of a plain connection
     * (no verified account) in BYPASS — the one plain path the demo front still admits once its
     * rollout requires GM of every account (FRONT-315 otherwise).
     */
    static TradingLine direct(int port, String account) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(ProxyV2Header.of(VerifiedPeer.plain(new InetSocketAddress("127.0.0.1", 1),
                    new InetSocketAddress("127.0.0.1", port), "BYPASS")).encode());
            return login(account, s.getOutputStream(), s.getInputStream(), s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Over any connected plain socket (no PROXY header): for a front that expects none. */
    static TradingLine plain(Socket s, String account) throws IOException {
        return login(account, s.getOutputStream(), s.getInputStream(), s);
    }

    private static TradingLine login(String account, OutputStream out, InputStream in, AutoCloseable c) throws IOException {
        TradingLine line = new TradingLine(account, new FrontClient(in, out), c);
        String answer = line.ask("LOGIN " + account);
        if (!answer.equals("OK LOGIN " + account)) {
            line.close();
            throw unexpected("LOGIN " + account, "OK LOGIN " + account, answer);
        }
        return line;
    }

    String account() {
        return account;
    }

    /** Sends a LIMIT order and returns the front's order id from its ACK. */
    String order(String instrument, boolean buy, long qty, String price) throws IOException {
        String clOrdId = account + "-" + (++sent);
        String request = "ORDER " + clOrdId + " " + instrument + " " + (buy ? "BUY" : "SELL") + " " + qty + " LIMIT " + price;
        String answer = ask(request);
        String[] w = answer.split(" ");
        if (w.length != 4 || !w[0].equals("ACK") || !w[1].equals(account) || !w[3].equals(clOrdId)) {
            throw unexpected(request, "ACK " + account + " <orderId> " + clOrdId, answer);
        }
        return w[2];
    }

    void cancel(String orderId) throws IOException {
        String request = "CANCEL " + orderId;
        String answer = ask(request);
        if (!answer.equals("CANCELLED " + orderId)) {
            throw unexpected(request, "CANCELLED " + orderId, answer);
        }
    }

    private String ask(String request) throws IOException {
        try {
            return front.ask(request);
        } catch (IOException e) {
            throw new IOException("[" + account + "] " + e.getMessage(), e);
        }
    }

    private static IOException unexpected(String request, String expected, String answer) {
        return new IOException("'" + request + "' answered '" + answer + "', expected '" + expected + "'");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // closing a socket that already failed tells the load run nothing more
        }
    }
}
