package io.gmgate.session;

import io.gmgate.error.ErrorCode;

/**
 * MODE-300..399: access modes and the cluster's shared state. The signed access policy's refusals
 * are the SDK's MODE-400/401 (the verifier runs in terminals).
 */
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
    public static final ErrorCode ILLEGAL_TRANSITION = new ErrorCode("MODE-304",
            "this mode change is not allowed from the scope's current mode for who asked (an automatic rule may only move NORMAL to ONE_WAY)",
            "an SRE makes the change with gmgate mode set; see the transition table in docs/session.md", false);
    public static final ErrorCode NO_MODE_SOURCE = new ErrorCode("MODE-305",
            "a starting node could read the access modes neither from PostgreSQL nor from the cluster",
            "start the node once PostgreSQL answers, or start it while another node of the cluster is running", true);

    public static final ErrorCode POLICY_SERIAL = new ErrorCode("MODE-306",
            "an access policy was published with a serial not greater than the newest published one",
            "sign the policy again with a larger --serial (terminals refuse older serials anyway)", false);

    public static final ErrorCode POLICY_TOO_LONG = new ErrorCode("MODE-310",
            "gmgate policy sign refused a policy allowing less than two-way GM that would be valid longer than policy.weakerMaxValidity",
            "sign it for less (the default for a downgrade is policy.weakerValidity) and re-sign while the emergency lasts; "
                    + "--force only if terminals cannot be reached again before it would lapse", false);
    /* 330..339: the cluster's defences (docs/security.md "The cluster"); numbered apart from 30x */
    public static final ErrorCode SEAL_BROKEN = new ErrorCode("MODE-330",
            "an entry in a cluster map did not open under the card key: written by a member without the card, altered, "
                    + "moved to another key, or sealed under a KEK this card no longer holds; it is treated as absent",
            "if it recurs, look for a foreign member in the cluster (docs/security.md, The cluster); after a KEK rotation "
                    + "keep the old version until cached sessions expire", false);

    private SessionErrors() {
    }
}
