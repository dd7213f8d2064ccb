package io.gmgate.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough HTTP/1.1 to call the cosign API over a stream the SDK opened itself — a TLCP
 * channel, which java.net.http cannot use. Requests carry Content-Length; responses may use
 * Content-Length or chunked encoding. Sizes are bounded so a hostile peer cannot make the SDK
 * allocate at will.
 */
public final class MiniHttp {

    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_BODY = 1 << 20;

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final String host;

    public MiniHttp(InputStream in, OutputStream out, String host) {
        this.in = in;
        this.out = out;
        this.host = host;
    }

    public Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        send(path, headers, body);
        return read();
    }

    /** Writes a request; its answer is {@link #read()} later, before the next request's. */
    public void send(String path, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        // one write, so one record and one segment: head and body written apart went out as two, and the
        // second waited for the peer's delayed ACK of the first (write-write-read under Nagle)
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        out.write(request);
        out.flush();
    }

    /** Reads the answer to the oldest request sent and not yet answered. */
    public Response read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw bad("status line '" + printable(statusLine) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw bad("status '" + printable(parts[1]) + "'");
        }
        Map<String, String> headers = new HashMap<>();
        int headBytes = statusLine.length();
        for (String l; !(l = line()).isEmpty(); ) {
            headBytes += l.length() + 2;
            if (headBytes > MAX_HEAD) {
                throw bad("headers over " + MAX_HEAD + " bytes");
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw bad("header line '" + printable(l) + "'");
            }
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else if (headers.containsKey("content-length")) {
            long n;
            try {
                n = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw bad("content-length '" + printable(headers.get("content-length")) + "'");
            }
            if (n < 0 || n > MAX_BODY) {
                throw bad("body of " + n + " bytes");
            }
            body = in.readNBytes((int) n);
            if (body.length != n) {
                throw bad("body ended after " + body.length + " of " + n + " bytes");
            }
        } else {
            body = new byte[0];
        }
        return new Response(status, Map.copyOf(headers), body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semi = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw bad("chunk size '" + printable(sizeLine) + "'");
            }
            if (size < 0 || body.size() + size > MAX_BODY) {
                throw bad("chunked body over " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw bad("chunk ended early");
            }
            body.writeBytes(chunk);
            if (!line().isEmpty()) {
                throw bad("chunk not followed by CRLF");
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                // an I/O condition, not a malformed answer: the transport retries it once on a fresh connection
                throw new java.io.EOFException("HTTP response: connection closed mid-response");
            }
            if (c == '\n') {
                break;
            }
            if (b.size() >= MAX_HEAD) {
                throw bad("line over " + MAX_HEAD + " bytes");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static SdkException bad(String why) {
        return new SdkException(SdkErrors.BAD_HTTP, "HTTP response: " + why);
    }
}
