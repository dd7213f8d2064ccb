package io.gmgate.sdk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.jr.ob.JSON;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/**
 * The client side of the cosign API (docs/cosign-api.md): one login session, its single-use
 * nonces, and the confirmation of each co-signature, sent at once (§4) so the server's PIN counter
 * never shows an honest trader's good signature as a failed try. The last confirmation is kept as the
 * proof that operations needing a proven PIN carry. Not thread-safe: one terminal, one conversation.
 */
public final class CosignClient {

    private static final long PROOF_LIFE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(8);

    private final CosignTransport transport;
    private String session;
    private String sessionId;
    private String account;
    private String device;
    private String nonce;
    /** When {@link #nonce} was handed out, and how long the server said it lives (its answers carry nonceExpiresInSeconds). */
    private long nonceTakenNanos;
    private long nonceLifeNanos = DEFAULT_NONCE_LIFE_NANOS;
    private Map<String, Object> pendingConfirm;
    private Map<String, Object> proof;
    private long proofAtNanos;
    /** A confirmation sent by {@link #confirmPipelined} whose answer is not read yet, and that confirmation. */
    private CosignTransport.Pending inFlight;
    private Map<String, Object> inFlightConfirm;

    /** Until a server says otherwise: half the cosign node's default nonce life (120 s). */
    private static final long DEFAULT_NONCE_LIFE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    /** A nonce this close to its end is not sent: the request would cross the server's expiry on the way. */
    private static final long NONCE_MARGIN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    public CosignClient(CosignTransport transport) {
        this.transport = transport;
    }

    /** Logs in; the answer's fields are as in §5.1. */
    public Fields login(String account, char[] password, String device) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
        body.put("password", new String(password));
        body.put("device", device);
        Fields f = exchange("/v1/login", body);
        this.session = f.string("session");
        this.sessionId = f.string("sessionId");
        this.account = f.string("account");
        this.device = device;
        takeNonce(f, f.string("nonce"));
        this.pendingConfirm = null;
        this.proof = null;
        return f;
    }

    /**
     * The firm's signed access policy as published (§5.16: standard base64, unlike the other fields);
     * verify it before believing it.
     */
    public byte[] accessPolicy() {
        String b64 = exchange("/v1/policy", new LinkedHashMap<>()).string("policy");
        try {
            return java.util.Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new SdkException(SdkErrors.BAD_HTTP, "cosign answer /v1/policy: field 'policy' is not base64");
        }
    }

    public String sessionId() {
        return requireSession(sessionId);
    }

    public String account() {
        return requireSession(account);
    }

    public String device() {
        return requireSession(device);
    }

    /**
     * Calls an authenticated operation: adds session, device, nonce and any pending confirmation;
     * takes the next nonce from the answer (also from error answers, per §2).
     */
    public Fields call(String operation, Map<String, Object> fields) {
        settle();
        requireSession(session);
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("session", session);
        body.put("device", device);
        body.put("nonce", freshNonce());
        boolean confirming = pendingConfirm != null && !body.containsKey("confirm");
        if (confirming) {
            body.put("confirm", pendingConfirm);
        }
        Fields f = exchange("/v1/" + operation, body);
        if (confirming) {
            keepAsProof(pendingConfirm);
            pendingConfirm = null;
        }
        return f;
    }

    /**
     * Calls an operation that needs the PIN proven (§4: decrypt, devices/add, pin/reset/finish): it
     * carries the pending confirmation, or else the last one sent, which the server accepts again for
     * this within its 10 minutes. Co-sign first if {@link #hasFreshProof()} is false.
     */
    public Fields callProven(String operation, Map<String, Object> fields) {
        settle();
        Map<String, Object> body = new LinkedHashMap<>(fields);
        Map<String, Object> c = pendingConfirm != null ? pendingConfirm : proof;
        if (c != null) {
            body.put("confirm", c);
        }
        Fields f = call(operation, body);
        if (c == pendingConfirm) {
            keepAsProof(pendingConfirm);
            pendingConfirm = null;
        }
        return f;
    }

    /** A confirmation is pending or was sent less than 8 minutes ago (the server keeps attempts 10). */
    public boolean hasFreshProof() {
        return pendingConfirm != null || inFlightConfirm != null || (proof != null && System.nanoTime() - proofAtNanos < PROOF_LIFE_NANOS);
    }

    private void keepAsProof(Map<String, Object> c) {
        proof = c;
        proofAtNanos = System.nanoTime();
    }

    /**
     * Changes the password (§5.15). The server ends every session of the account, this one included,
     * and answers with a new session for this device: it replaces the old one here.
     */
    public Fields changePassword(char[] oldPassword, char[] newPassword) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("oldPassword", new String(oldPassword));
        body.put("newPassword", new String(newPassword));
        Fields f = call("password", body);
        this.session = f.string("session");
        this.sessionId = f.string("sessionId");
        this.pendingConfirm = null; // a confirmation of the ended session would fail the next request (§4)
        this.proof = null;
        return f;
    }

    /** Confirms a co-signature at once (§4): its PIN try is forgiven before anything else happens. */
    public Fields confirm(String attempt, byte[] signatureRaw) {
        confirmLater(attempt, signatureRaw);
        return confirmNow().orElseThrow();
    }

    /**
     * Confirms a co-signature at once (§4) without waiting for the answer: the request leaves now and
     * the server forgives the try as with {@link #confirm}; its answer is read by {@link #settle()},
     * which every later request (and {@link #confirmNow()}) does first. A TLCP handshake goes on with
     * its Finished meanwhile instead of waiting one more cosign round trip.
     */
    public void confirmPipelined(String attempt, byte[] signatureRaw) {
        settle();
        requireSession(session);
        confirmLater(attempt, signatureRaw);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", session);
        body.put("device", device);
        body.put("nonce", freshNonce());
        body.put("confirm", pendingConfirm);
        try {
            inFlight = transport.send("/v1/sign/confirm", json(body));
        } catch (IOException e) {
            throw new SdkException(SdkErrors.COSIGN_UNREACHABLE, "cosign /v1/sign/confirm: " + e.getMessage(), e);
        }
        inFlightConfirm = pendingConfirm;
        pendingConfirm = null;
    }

    /**
     * Reads the answer to a pipelined confirmation, if one is out, and throws its refusal; a refused
     * or unanswered confirmation stays pending, as a refused {@link #call} leaves it, and goes with the
     * next request.
     */
    public void settle() {
        if (inFlight == null) {
            return;
        }
        CosignTransport.Pending answer = inFlight;
        Map<String, Object> c = inFlightConfirm;
        inFlight = null;
        inFlightConfirm = null;
        MiniHttp.Response r;
        try {
            r = answer.answer();
        } catch (IOException e) {
            pendingConfirm = c;
            throw new SdkException(SdkErrors.COSIGN_UNREACHABLE, "cosign /v1/sign/confirm: " + e.getMessage(), e);
        }
        try {
            answered("/v1/sign/confirm", r);
        } catch (RuntimeException refused) {
            pendingConfirm = c;
            throw refused;
        }
        keepAsProof(c);
    }

    /** Remembers a co-signature to confirm on the next request (§4). */
    public void confirmLater(String attempt, byte[] signatureRaw) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("attempt", attempt);
        c.put("signature", Fields.b64(signatureRaw));
        pendingConfirm = c;
    }

    /** Whether a co-signature waits to be confirmed on the next request. */
    public boolean hasPendingConfirmation() {
        return pendingConfirm != null;
    }

    /** Sends a pending confirmation now (before logging out, or when no other request follows). */
    public Optional<Fields> confirmNow() {
        settle();
        if (pendingConfirm == null) {
            return Optional.empty();
        }
        return Optional.of(call("sign/confirm", Map.of()));
    }

    private void refreshNonce() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", session);
        body.put("device", device);
        Fields f = exchange("/v1/nonces", body);
        takeNonce(f, (String) f.list("nonces").get(0));
    }

    /**
     * The nonce to send, used up: the one held if the server will still take it, else a new one. A
     * terminal that sat idle longer than the nonce life (a trader back from lunch) would otherwise
     * fail its next co-signature with COSIGN-114.
     */
    private String freshNonce() {
        long margin = Math.min(NONCE_MARGIN_NANOS, nonceLifeNanos / 4);
        if (nonce == null || System.nanoTime() - nonceTakenNanos > nonceLifeNanos - margin) {
            refreshNonce();
        }
        String n = nonce;
        nonce = null;
        return n;
    }

    private void takeNonce(Fields f, String value) {
        nonce = value;
        nonceTakenNanos = System.nanoTime();
        if (f.has("nonceExpiresInSeconds")) {
            long seconds = f.number("nonceExpiresInSeconds");
            nonceLifeNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(Math.max(1, seconds));
        }
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JSON.std.asBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("JSON encoding of a request failed", e);
        }
    }

    private Fields exchange(String path, Map<String, Object> body) {
        settle();
        MiniHttp.Response r;
        byte[] json = json(body);
        try {
            r = transport.post(path, json);
        } catch (IOException e) {
            // the gateway was reached (an unreachable gateway is NET-400 from Failover) but no answer came back
            throw new SdkException(SdkErrors.COSIGN_UNREACHABLE, "cosign " + path + ": " + e.getMessage(), e);
        }
        return answered(path, r);
    }

    /** Parses an answer, takes its next nonce, and throws its refusal. */
    private Fields answered(String path, MiniHttp.Response r) {
        Map<String, Object> answer;
        try {
            answer = JSON.std.mapFrom(r.body());
        } catch (IOException | RuntimeException e) {
            throw new SdkException(SdkErrors.BAD_HTTP, "cosign " + path + " answered HTTP " + r.status() + " without a JSON object");
        }
        if (answer == null) {
            throw new SdkException(SdkErrors.BAD_HTTP, "cosign " + path + " answered HTTP " + r.status() + " with an empty body");
        }
        Fields f = new Fields(answer, path);
        if (f.has("nonce")) {
            takeNonce(f, f.string("nonce"));
        }
        if (r.status() / 100 != 2) {
            throw serverError(path, r.status(), f);
        }
        return f;
    }

    private static GmgateException serverError(String path, int status, Fields f) {
        String code = f.has("code") ? f.string("code") : "NET-401";
        String message = f.has("message") ? f.string("message") : "HTTP " + status;
        String action = f.has("action") ? f.string("action") : "retry later";
        boolean retry = f.has("retryAfterSeconds");
        ErrorCode ec;
        try {
            ec = new ErrorCode(code, message, action, retry);
        } catch (IllegalArgumentException e) {
            ec = new ErrorCode("NET-401", "cosign answered an unknown code " + code, action, retry);
        }
        return new CosignException(ec, path + " → HTTP " + status + ": " + message,
                retry ? (int) f.number("retryAfterSeconds") : -1);
    }

    private static String requireSession(String value) {
        if (value == null) {
            throw new IllegalStateException("not logged in");
        }
        return value;
    }
}
