package io.gmgate.gateway.admin;

/**
 * One dependency readiness reflects (design §9): the cipher card, the database, the cluster, the
 * trading fronts. Checks must be quick and must not block an event loop: the admin server runs
 * them on a worker with a time limit.
 */
public interface ReadinessCheck {

    String name();

    /** Throws, or returns a one-line detail, e.g. "2 of 3 fronts up". */
    String check() throws Exception;
}
