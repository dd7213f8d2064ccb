package io.gmgate.cosign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.gmgate.proxy.ProxyV2Header;
import io.vertx.core.json.JsonObject;

/**
 * HTTP/1.1 over a plain socket bound to a chosen loopback address (127.0.0.0/8 is all loopback on
 * Linux), so one test can be several clients and a gateway; optionally led by a PROXY v2 header.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** A socket from {@code local} (e.g. "127.0.0.3") to the node. */
    static Socket open(String local, int port) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header a gateway writes for a terminal at {@code client}. */
    static byte[] proxyHeader(String client) {
        try {
            return new ProxyV2Header(new InetSocketAddress(InetAddress.getByName(client), 40_000),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8090), List.of()).encode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] request(String method, String path, byte[] body, int declaredLength) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: cosign\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n") + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    static byte[] post(String operation, JsonObject body) {
        byte[] b = body.encode().getBytes(StandardCharsets.UTF_8);
        return request("POST", "/v1/" + operation, b, b.length);
    }

    /** Sends {@code prefix} then {@code request} from {@code local}, reads the answer to the end. */
    static Api.Response exchange(String local, int port, byte[] prefix, byte[] request) {
        try (Socket s = open(local, port)) {
            OutputStream out = s.getOutputStream();
            out.write(prefix);
            out.write(request);
            out.flush();
            return read(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer: the head, then Content-Length bytes of body. */
    static Api.Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after '" + head.toString(StandardCharsets.UTF_8) + "'");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).trim().split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String retryAfter = null;
        int length = 0;
        for (String l : lines) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("retry-after:")) {
                retryAfter = l.substring(l.indexOf(':') + 1).trim();
            } else if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Api.Response(status, body.isBlank() ? new JsonObject() : new JsonObject(body), retryAfter);
    }
}
