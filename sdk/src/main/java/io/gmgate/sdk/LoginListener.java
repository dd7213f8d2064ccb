package io.gmgate.sdk;

/**
 * Told how long each phase of a terminal's login took, for a benchmark or the terminal's own
 * telemetry (docs/perf-login.md): the SDK has no metrics library, so whoever embeds it records these where
 * it likes. Called on the thread that logs in, after the phase ended (also when it failed); keep it
 * quick and never throw from it.
 */
@FunctionalInterface
public interface LoginListener {

    /** What was timed. */
    enum Phase {
        /** The TCP connect to a trading listener (:9000), per endpoint tried. */
        TCP_CONNECT("tcp_connect"),
        /** One HTTP exchange with the cosign API over :8090 (a co-signature, its confirmation, …). */
        COSIGN_ROUND_TRIP("cosign_round_trip"),
        /**
         * A cosign request whose answer is read later (the CertificateVerify's confirmation): from
         * sending it to reading its answer, which is after the handshake it overlapped.
         */
        COSIGN_PIPELINED("cosign_pipelined"),
        /** The two-way channel: from the TCP connect to the TLCP handshake done (co-signing included). */
        HANDSHAKE("handshake");

        private final String tag;

        Phase(String tag) {
            this.tag = tag;
        }

        /** The phase as a metric tag value: tcp_connect, cosign_round_trip, cosign_pipelined, handshake. */
        public String tag() {
            return tag;
        }
    }

    /** Does nothing: the default. */
    LoginListener NONE = (phase, nanos, ok) -> { };

    /** {@code phase} took {@code nanos}; {@code ok} is false if it ended in a failure. */
    void phaseDone(Phase phase, long nanos, boolean ok);
}
