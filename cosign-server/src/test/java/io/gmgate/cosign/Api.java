package io.gmgate.cosign;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.vertx.core.json.JsonObject;

/** A plain java.net.http client for the cosign API on 127.0.0.1 (what the SDK does, minus TLCP). */
final class Api {

    record Response(int status, JsonObject body, String retryAfter) {
        String code() {
            return body.getString("code");
        }

        @Override
        public String toString() {
            return status + " " + body.encode();
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Api() {
    }

    static Response post(int port, String operation, JsonObject body) {
        return raw(port, "POST", "/v1/" + operation, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
    }

    static Response raw(int port, String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            JsonObject json = text == null || text.isEmpty() ? new JsonObject() : new JsonObject(text);
            return new Response(r.statusCode(), json, r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
