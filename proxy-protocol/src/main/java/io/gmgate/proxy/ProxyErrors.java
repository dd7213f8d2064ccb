package io.gmgate.proxy;

import io.gmgate.error.ErrorCode;

/** FRONT-302: the PROXY v2 codec's one refusal, shared by everything that reads the gateway's header. */
public final class ProxyErrors {

    public static final ErrorCode BAD_PROXY_HEADER = new ErrorCode("FRONT-302",
            "a PROXY protocol v2 header was malformed: bad signature, version, family or length",
            "make sure the front and the gateway agree on PROXY v2 and nothing else sits between them", false);

    private ProxyErrors() {
    }
}
