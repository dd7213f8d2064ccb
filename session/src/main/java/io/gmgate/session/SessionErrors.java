package io.gmgate.session;

import io.gmgate.error.ErrorCode;

/** MODE-300..: access modes, the signed access policy and the cluster's shared state. */
public final class SessionErrors {

    public static final ErrorCode BAD_SCOPE = new ErrorCode("MODE-300",
            "the scope of a mode change is not cluster, site:NAME or listener:NAME",
            "name the scope as gmgate mode show prints it", false);
    public static final ErrorCode BAD_CHANGE = new ErrorCode("MODE-301",
            "a mode change lacks a reason or operator, or its time-to-live is not positive",
            "give --reason (what happened, ticket number) and a positive --ttl such as 2h", false);
    public static final ErrorCode STORE_DOWN = new ErrorCode("MODE-302",
            "the mode could not be read from or written to PostgreSQL; nodes keep the last mode they saw",
            "check the database; retry the change once it answers", true);
    public static final ErrorCode CLUSTER_DOWN = new ErrorCode("MODE-303",
            "this node could not join or reach the cluster",
            "check the cluster members' addresses and port 5701 between nodes; the node keeps serving with what it has", true);
    public static final ErrorCode POLICY_UNSIGNED = new ErrorCode("MODE-310",
            "an access policy arrived without a valid signature of the firm's policy key",
            "ignore it and keep the current endpoints; report it: someone may be trying to downgrade terminals", false);
    public static final ErrorCode POLICY_STALE = new ErrorCode("MODE-311",
            "an access policy is expired, not yet valid, or older than one already accepted",
            "fetch the current policy from the gateway; check the terminal's clock", false);

    private SessionErrors() {
    }
}
