package io.gmgate.attacks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;
import io.vertx.core.json.JsonObject;

/**
 * The cosign API as an attacker speaks it: HTTP/1.1 by hand, over one-way TLCP to a gateway's :8090
 * or straight to a cosign node, from a chosen loopback address (127.0.0.0/8 is all loopback on Linux),
 * so one test can be an attacker and a trader at different sources.
 */
final class CosignWire {

    record Answer(int status, JsonObject body) {
        String code() {
            return body.getString("code");
        }

        @Override
        public String toString() {
            return status + " " + body.encode();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private CosignWire() {
    }

    static Socket plain(String local, int port) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One-way TLCP from {@code local} to the gateway's enrolment listener, as the SDK opens it. */
    static TlcpSocket tlcp(String local, int port, X509CertificateHolder root) {
        try {
            TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), Optional.empty(),
                    new X509CertificatePolicy(List.of(root), RevocationCheck.NONE, true), Optional.empty(),
                    EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
            return TlcpSocket.client(plain(local, port), cfg).handshake();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject login(String account, String password) {
        return new JsonObject().put("account", account).put("password", password).put("device", "pc-1");
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

    /** A whole request over a fresh TLCP connection through the gateway. */
    static Answer viaGateway(String local, int enrolmentPort, X509CertificateHolder root, String operation, JsonObject body) {
        try (TlcpSocket s = tlcp(local, enrolmentPort, root)) {
            send(s.getOutputStream(), post(operation, body));
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes straight to a cosign node's port from {@code local}, then its answer. */
    static Answer direct(String local, int port, byte[] bytes) {
        try (Socket s = plain(local, port)) {
            send(s.getOutputStream(), bytes);
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One answer: the head, then Content-Length bytes of body. */
    static Answer read(InputStream in) throws IOException {
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
        int length = 0;
        for (String l : lines) {
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(status, body.isBlank() ? new JsonObject() : new JsonObject(body));
    }
}
