package io.gmgate.sdk;

import java.io.IOException;

/**
 * Carries one cosign API request (a JSON body to {@code /v1/…}) and returns the HTTP answer. The
 * SDK backs it with HTTP over a one-way TLCP channel to the gateway's :8090; tests and tools may
 * use a plain connection to a cosign node on loopback.
 */
@FunctionalInterface
public interface CosignTransport {

    MiniHttp.Response post(String path, byte[] json) throws IOException;

    /**
     * Sends a request whose answer is read later, through the returned handle, before anything else is
     * sent (HTTP/1.1 pipelining): the caller goes on meanwhile. By default it is sent and answered at once.
     */
    default Pending send(String path, byte[] json) throws IOException {
        MiniHttp.Response r = post(path, json);
        return () -> r;
    }

    /** The answer to a request already sent. */
    @FunctionalInterface
    interface Pending {
        MiniHttp.Response answer() throws IOException;
    }
}
