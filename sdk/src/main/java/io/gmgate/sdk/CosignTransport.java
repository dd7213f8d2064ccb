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
}
