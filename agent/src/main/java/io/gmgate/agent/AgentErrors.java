package io.gmgate.agent;

import io.gmgate.error.ErrorCode;

/** NET-410.., FRONT-400.., CERT-410..: what the local agent itself reports (design §8; docs/terminal.md). */
public final class AgentErrors {

    public static final ErrorCode LOCAL_PORT_BUSY = new ErrorCode("NET-410",
            "a local agent port could not be opened on 127.0.0.1: another agent or program already listens there",
            "stop the other agent (a leftover process) or set another port in the agent: section", false);

    public static final ErrorCode LOCAL_CAP = new ErrorCode("NET-411",
            "the agent refused a local connection: it already relays its maximum number of connections",
            "close idle terminal connections, or raise agent.maxConnections", true);

    public static final ErrorCode CHANNEL_BROKE = new ErrorCode("NET-412",
            "the GM channel to the gateway broke in the middle of a session",
            "reconnect the terminal: the agent opens the next channel on the next gateway node that answers", true);

    public static final ErrorCode AGENT_DOWN = new ErrorCode("NET-413",
            "the local agent does not answer on 127.0.0.1 (its trading or enrolment port)",
            "start it: gmgate agent --config FILE (its 9000 and 8090 services must both run)", true);

    public static final ErrorCode NO_ANSWER = new ErrorCode("FRONT-400",
            "the gateway ended the channel right after the handshake without an answer: the trading front behind it is likely down",
            "retry shortly; if it repeats, tell the firm's operations (the gateway logs FRONT-300)", true);

    public static final ErrorCode TRADING_STOPPED = new ErrorCode("CERT-410",
            "the agent stopped opening trading channels after a wrong PIN, so that retries do not lock the key",
            "correct the PIN (or the PIN file in service mode) and restart the agent", false);

    private AgentErrors() {
    }
}
