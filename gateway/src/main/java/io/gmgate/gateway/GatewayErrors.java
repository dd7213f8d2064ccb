package io.gmgate.gateway;

import io.gmgate.error.ErrorCode;

/** FRONT-300.., NET-300..: the gateway's relay to the trading fronts, what a front answers, and the admission limits. */
public final class GatewayErrors {

    public static final ErrorCode NO_HEALTHY_FRONT = new ErrorCode("FRONT-300",
            "no trading front accepted a connection: every configured front is down or refused",
            "check the trading fronts and the gateway's front list; the gateway retries them by itself", true);

    public static final ErrorCode FRONT_CLOSED = new ErrorCode("FRONT-301",
            "the trading front closed the connection or stopped answering",
            "reconnect; if it repeats, check the trading front's logs", true);

    // FRONT-302 (a malformed PROXY v2 header) lives with the codec: io.gmgate.proxy.ProxyErrors.

    // What a trading front answers a terminal (the demo front speaks them; a real front has its own).

    public static final ErrorCode FRONT_NOT_LOGGED_IN = new ErrorCode("FRONT-310",
            "the trading front got a request before LOGIN on this connection",
            "send LOGIN <account> first, then orders", false);

    public static final ErrorCode FRONT_ACCOUNT_MISMATCH = new ErrorCode("FRONT-311",
            "LOGIN named an account other than the one the gateway verified from the terminal's certificate",
            "log in as the account the certificate was issued to; one terminal cannot trade as another", false);

    public static final ErrorCode FRONT_BAD_REQUEST = new ErrorCode("FRONT-312",
            "the trading front could not read the request line: unknown verb, missing field, bad side, quantity or price",
            "fix the request; the message says which field", false);

    public static final ErrorCode FRONT_ORDER_NOT_OPEN = new ErrorCode("FRONT-313",
            "CANCEL named an order that is not open for this account: unknown, already filled or already cancelled",
            "query the order's state; only open LIMIT orders can be cancelled", false);

    public static final ErrorCode FRONT_TOO_MANY_OPEN_ORDERS = new ErrorCode("FRONT-314",
            "the account has as many open orders as the trading front keeps",
            "cancel open orders before placing more", true);

    public static final ErrorCode FRONT_GM_REQUIRED = new ErrorCode("FRONT-315",
            "the gradual rollout requires this account to use GM, and it logged in on the plain path",
            "connect through the gateway's GM port with this device's certificate (gmgate client connect / the agent)", false);

    public static final ErrorCode TOO_MANY_CONNECTIONS = new ErrorCode("NET-300",
            "the gateway is at its cap of concurrent connections and refused a new one",
            "retry shortly or connect to another gateway node; operators may raise the cap", true);

    public static final ErrorCode RATE_LIMITED = new ErrorCode("NET-301",
            "too many new connections or handshakes from one address in a short time",
            "slow down reconnect attempts; check the terminal for a reconnect loop", true);

    public static final ErrorCode LISTENER_FAILED = new ErrorCode("NET-302",
            "a gateway listener could not bind its address",
            "check that the port is free and the address exists on this host", false);

    public static final ErrorCode ENGINE_THREAD = new ErrorCode("NET-310",
            "a connection's protocol engine was called from a thread other than its socket's event loop (two threads could seal two records under one nonce); the call was refused and the connection closed",
            "a bug in the gateway: report it with the message, which names both threads", false);

    public static final ErrorCode MODE_STRENGTHENED = new ErrorCode("NET-311",
            "the connection was admitted in a weaker access mode (one-way in ONE_WAY, plain in BYPASS) and was closed when the mode got stronger",
            "reconnect: the terminal now needs the path the current mode demands (two-way TLCP in NORMAL)", true);

    public static final ErrorCode HANDSHAKE_TIMEOUT = new ErrorCode("NET-320",
            "the client did not finish its TLCP or TLS 1.3 handshake within the listener's handshake timeout; the connection was closed",
            "check the terminal's network path and its co-sign round trip (gmgate_login_phase_seconds{phase=\"client_flight\"}); a flood of these is a slow-handshake attack", true);

    public static final ErrorCode HANDSHAKE_ABANDONED = new ErrorCode("NET-321",
            "the client closed the connection in the middle of its handshake, without an alert",
            "usually the terminal gave up (its own timeout, a user cancel); many from one address point at a broken client or a scan", true);

    public static final ErrorCode ADMIN_UNAUTHENTICATED = new ErrorCode("ADMIN-300",
            "the admin API request carried no valid bearer token",
            "send 'Authorization: Bearer <token>' with a token listed (as its SM3 hash) in the admin tokens file", false);

    public static final ErrorCode ADMIN_FORBIDDEN = new ErrorCode("ADMIN-301",
            "the operator's roles do not allow this admin action",
            "ask a key administrator for the role the action needs (design §9); the auditor role is read-only", false);

    public static final ErrorCode ADMIN_BAD_REQUEST = new ErrorCode("ADMIN-302",
            "the admin API request was malformed: bad JSON, a missing field or an unknown value",
            "fix the request; the message names the field", false);

    public static final ErrorCode ADMIN_ACTION_FAILED = new ErrorCode("ADMIN-303",
            "the admin action failed inside the gateway",
            "check the node's log for the underlying code and retry", true);

    public static final ErrorCode ADMIN_POLICY_NOT_PUBLISHED = new ErrorCode("ADMIN-304",
            "the mode changed but the next signed access policy could not be published: a custodian step is missing "
                    + "(no policy key in the card, or no policy published yet to take the endpoints from)",
            "do the step the message names (gmgate policy key; gmgate policy sign + publish), then change the mode again", false);

    private GatewayErrors() {
    }
}
