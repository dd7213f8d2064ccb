package io.gmgate.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * The load generator's client against a small front on a real loopback socket that speaks the three
 * lines of the front protocol (LOGIN, ORDER … LIMIT, CANCEL) — and against fronts that answer
 * otherwise, which must fail the request rather than be counted.
 */
class TradingLineTest {

    /** A one-connection front answering each line with {@code answer}; closed with the test. */
    private static final class LineFront implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        LineFront(UnaryOperator<String> answer) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                    OutputStream out = s.getOutputStream();
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String a = answer.apply(line);
                        if (a == null) {
                            return;
                        }
                        out.write((a + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            thread.start();
        }

        Socket connect() throws IOException {
            return new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5_000);
        }
    }

    /** The front protocol as the spec writes it, with order ids counted from 1. */
    private static UnaryOperator<String> specFront() {
        String[] account = {null};
        int[] next = {0};
        return line -> {
            String[] w = line.split(" ");
            return switch (w[0]) {
                case "LOGIN" -> {
                    account[0] = w[1];
                    yield "OK LOGIN " + w[1];
                }
                case "ORDER" -> w.length == 7 && w[5].equals("LIMIT")
                        ? "ACK " + account[0] + " O-" + (++next[0]) + " " + w[1] : "ERR FRONT-001 malformed";
                case "CANCEL" -> "CANCELLED " + w[1];
                default -> "ERR FRONT-001 unknown";
            };
        };
    }

    @Test
    void logsInThenEachOrderIsAcknowledgedAndCancelled() throws Exception {
        try (LineFront front = new LineFront(specFront());
             TradingLine line = TradingLine.plain(front.connect(), "9000001")) {
            assertEquals("O-1", line.order("rb2605", true, 1, "3500"));
            line.cancel("O-1");
            assertEquals("O-2", line.order("rb2605", false, 2, "3501"));
            Latencies lat = new Latencies();
            GatewayLoad.orderAndCancel(line, lat);
            assertEquals(2, lat.interval().count(), "an order and its cancel are two round trips");
        }
    }

    @Test
    void aFrontThatEchoesOrdersOldStyleFailsTheLogin() throws Exception {
        try (LineFront front = new LineFront(line -> "ACK 9000001 " + line)) {
            IOException e = assertThrows(IOException.class, () -> TradingLine.plain(front.connect(), "9000001"));
            assertTrue(e.getMessage().contains("expected 'OK LOGIN 9000001'"), e.getMessage());
        }
    }

    @Test
    void anErrLineOrAnotherClientsIdFailsTheOrder() throws Exception {
        UnaryOperator<String> spec = specFront();
        try (LineFront front = new LineFront(line -> line.startsWith("ORDER") && line.contains("-1 ") ? "ERR FRONT-007 market closed"
                : line.startsWith("ORDER") ? "ACK 9000001 O-9 someone-else-1" : spec.apply(line));
             TradingLine line = TradingLine.plain(front.connect(), "9000001")) {
            IOException refused = assertThrows(IOException.class, () -> line.order("rb2605", true, 1, "3500"));
            assertTrue(refused.getMessage().contains("ERR FRONT-007"), refused.getMessage());
            IOException mixedUp = assertThrows(IOException.class, () -> line.order("rb2605", true, 1, "3500"));
            assertTrue(mixedUp.getMessage().contains("someone-else-1"), mixedUp.getMessage());
        }
    }

    @Test
    void aCancelAnsweredForAnotherOrderFails() throws Exception {
        UnaryOperator<String> spec = specFront();
        try (LineFront front = new LineFront(line -> line.startsWith("CANCEL") ? "CANCELLED O-999" : spec.apply(line));
             TradingLine line = TradingLine.plain(front.connect(), "9000001")) {
            String id = line.order("rb2605", true, 1, "3500");
            assertThrows(IOException.class, () -> line.cancel(id));
        }
    }

    @Test
    void aFrontThatHangsUpFailsTheRequestNamingTheAccount() throws Exception {
        UnaryOperator<String> spec = specFront();
        try (LineFront front = new LineFront(line -> line.startsWith("ORDER") ? null : spec.apply(line));
             TradingLine line = TradingLine.plain(front.connect(), "9000001")) {
            IOException e = assertThrows(IOException.class, () -> line.order("rb2605", true, 1, "3500"));
            assertTrue(e.getMessage().startsWith("[9000001] the front closed"), e.getMessage());
        }
    }
}
