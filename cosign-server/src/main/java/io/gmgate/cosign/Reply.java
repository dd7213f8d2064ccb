package io.gmgate.cosign;

import java.util.Map;

import io.gmgate.error.GmgateException;

/**
 * What the HTTP adapter sends: a body on success, or an error; plus the next nonce when one was
 * issued (docs/cosign-api.md §2: every response after an accepted nonce carries the next one).
 */
public record Reply(Map<String, Object> body, GmgateException error, String nonce, String referenceId) {

    public static Reply ok(Map<String, Object> body) {
        return new Reply(body, null, null, null);
    }

    public static Reply failed(GmgateException error, String nonce, String referenceId) {
        return new Reply(null, error, nonce, referenceId);
    }

    public boolean isError() {
        return error != null;
    }
}
