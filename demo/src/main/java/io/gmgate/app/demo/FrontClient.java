package io.gmgate.app.demo;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal's side of {@link FrontProtocol} over any byte stream (a TLCP channel, the agent's plain
 * port, the bypass listener): sends one request line and reads exactly the lines that answer it.
 */
public final class FrontClient {

    /** More POSITION lines than any demo account trades instruments; bounds a runaway answer. */
    private static final int MAX_ANSWER_LINES = 10_000;

    private final OutputStream out;
    private final BufferedReader in;

    public FrontClient(InputStream in, OutputStream out) {
        this.out = out;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    }

    /** The answer's lines: one, or ACK then FILL for a MARKET order, or POSITION lines then END POSITIONS. */
    public List<String> request(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> answer = new ArrayList<>();
        answer.add(next(line));
        if (answer.get(0).startsWith("ERR ")) {
            return answer;
        }
        FrontProtocol.Request request = FrontProtocol.parse(line);
        if (request instanceof FrontProtocol.Order o && o.limitPrice().isEmpty()) {
            answer.add(next(line));
        } else if (request instanceof FrontProtocol.Positions) {
            while (!answer.get(answer.size() - 1).equals(FrontProtocol.END_POSITIONS)) {
                if (answer.size() == MAX_ANSWER_LINES) {
                    throw new IOException("no END POSITIONS after " + MAX_ANSWER_LINES + " lines");
                }
                answer.add(next(line));
            }
        }
        return answer;
    }

    /** The one-line answer to {@code line}. */
    public String ask(String line) throws IOException {
        List<String> answer = request(line);
        if (answer.size() != 1) {
            throw new IOException("'" + line + "' was answered with " + answer.size() + " lines: " + answer);
        }
        return answer.get(0);
    }

    private String next(String request) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("the front closed the connection before answering '" + request + "'");
        }
        return line;
    }
}
