package io.gmgate.ca.cmp;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;

/**
 * CMP over HTTP (RFC 6712): POST the DER request with content type application/pkixcmp and read the
 * DER answer, within a connect and a whole-exchange time limit. BouncyCastle has no CMP transport
 * (design §14), so this is ours; java.net.http keeps ca-client free of Vert.x.
 */
public final class HttpCmpTransport implements CmpTransport {

    /** Large enough for a CertRepMessage with a chain and an enveloped key; a CA answering more is broken. */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final String name;
    private final URI uri;
    private final Duration requestTimeout;
    private final HttpClient http;

    public HttpCmpTransport(String name, URI uri, Duration connectTimeout, Duration requestTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.uri = Objects.requireNonNull(uri, "uri");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("CMP URL must be http or https: " + uri);
        }
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public byte[] exchange(byte[] request) {
        HttpRequest post = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", CmpMessages.CONTENT_TYPE).header("Accept", CmpMessages.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        HttpResponse<InputStream> response;
        try {
            response = send(post);
        } catch (HttpConnectTimeoutException e) {
            throw down("connect timed out after " + http.connectTimeout().map(Duration::toMillis).orElse(0L) + "ms", e);
        } catch (HttpTimeoutException e) {
            throw down("no answer within " + requestTimeout.toMillis() + "ms", e);
        } catch (ConnectException e) {
            throw down("connection refused", e);
        } catch (IOException e) {
            throw down("I/O error: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw down("interrupted", e);
        }
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new CaException(CaErrors.CA_PROTOCOL, "[CA " + name + "] answer from " + uri + " exceeds "
                        + MAX_RESPONSE_BYTES + " bytes");
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            // RFC 6712 §3.3: errors travel as PKIMessages too, whatever the HTTP status; anything else is the line or proxy
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith(CmpMessages.CONTENT_TYPE) || body.length == 0) {
                throw down("HTTP " + response.statusCode() + " with content type '" + type + "' (" + body.length + " bytes)", null);
            }
            return body;
        } catch (IOException e) {
            throw down("answer broke off: " + e, e);
        }
    }

    /**
     * Sends once more when a kept-alive connection turns out to have been closed by the CA before
     * it read anything (the server answered no byte): it never saw the request, so sending it again
     * on a new connection is not a repeat. Seen with OpenSSL's CMP server, which closes after each answer.
     */
    private HttpResponse<InputStream> send(HttpRequest post) throws IOException, InterruptedException {
        try {
            return http.send(post, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            if (e instanceof HttpTimeoutException || e instanceof ConnectException
                    || String.valueOf(e.getMessage()).indexOf("received no bytes") < 0) {
                throw e;
            }
            return http.send(post, HttpResponse.BodyHandlers.ofInputStream());
        }
    }

    private CaException down(String what, Throwable cause) {
        return new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name + "] " + uri + ": " + what, cause);
    }

    @Override
    public String toString() {
        return "HttpCmpTransport[" + name + " " + uri + "]";
    }
}
