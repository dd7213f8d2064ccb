package io.gmgate.cosign.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.cosign.api.StrictJson;
import io.vertx.core.json.JsonObject;

/**
 * The firm's own account system as the identity verifier (docs/cosign-api.md §6): POST
 * {account, password, device, address} as JSON, expect {@code 200 {"ok": true, "account": "…"}} or
 * {@code {"ok": false}}. Anything else or no answer within the timeout is COSIGN-117. On success the
 * account is registered locally (keystore + EXTERNAL row) so keys can be attached to it.
 */
public final class HttpIdentityVerifier implements IdentityVerifier {

    private final URI uri;
    private final Duration timeout;
    private final HttpClient http;
    private final PgAccounts accounts;

    public HttpIdentityVerifier(URI uri, Duration timeout, PgAccounts accounts) {
        this.uri = uri;
        this.timeout = timeout;
        this.accounts = accounts;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return "http:" + uri;
    }

    @Override
    public Identity verify(String account, char[] password, String device, String address) {
        String body = new JsonObject().put("account", account).put("password", new String(password))
                .put("device", device).put("address", address).encode();
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw down("did not answer: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw down("call interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw down("answered HTTP " + response.statusCode(), null);
        }
        Map<String, Object> json;
        try {
            json = StrictJson.parseObject(response.body());
        } catch (CosignException e) {
            throw down("answered something that is not a JSON object", e);
        }
        Object ok = json.get("ok");
        if (!(ok instanceof Boolean)) {
            throw down("answer has no boolean 'ok'", null);
        }
        if (!(Boolean) ok) {
            throw new CosignException(CosignErrors.LOGIN_FAILED, "[identity " + name() + "] login of account " + account + " failed");
        }
        Object canonical = json.getOrDefault("account", account);
        if (!(canonical instanceof String name) || !name.matches(io.gmgate.cosign.api.Schemas.ACCOUNT) || name.length() > 64) {
            throw down("answered an invalid account name", null);
        }
        boolean first = accounts.find(name).isEmpty();
        if (first) {
            accounts.ensureExternal(name, "identity:" + name());
        }
        return new Identity(name, first, false);
    }

    private CosignException down(String why, Throwable cause) {
        CosignException e = new CosignException(CosignErrors.IDENTITY_SERVICE_DOWN, "[identity " + name() + "] " + why, 5);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
