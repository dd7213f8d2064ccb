package io.gmgate.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.gmgate.sdk.LoginListener;
import picocli.CommandLine;

/**
 * LoginStorm at a small size, as CI runs it (docs/perf-login.md): a real gateway node and cosign node in
 * their own JVMs on an embedded PostgreSQL, 50 enrolled terminals, each logging in once (a full
 * co-signed two-way handshake and one order). Only that every login succeeded is asserted, and
 * that the SDK's login hook reported each one's phases — counts, never timings: a benchmark is not
 * a test. The child JVMs run C1 only: most of a short run's server CPU is otherwise the JIT.
 */
class LoginStormTest {

    private static final int TERMINALS = 50;

    @Test
    void everyTerminalLogsInOnce() {
        LoginStorm storm = new LoginStorm();
        int exit = new CommandLine(storm).execute("--terminals", Integer.toString(TERMINALS), "--window", "5s", "--warmup", "0",
                "--enrol-threads", "4", "--threads", "16", "--child-jvm=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");

        assertNotNull(storm.last, "no window ran (exit " + exit + "); the run's output says why");
        assertEquals(TERMINALS, storm.last.logins());
        assertEquals(java.util.Map.of(), storm.last.failures(), "failures by code: " + storm.last.samples());
        assertEquals(TERMINALS, storm.last.ok());
        assertEquals(0, exit);
        // the hook: one handshake and one TCP connect per login, at least the co-signature's exchange, and
        // its confirmation pipelined behind the handshake even though the hook is watching
        assertEquals(TERMINALS, storm.phases.count(LoginListener.Phase.HANDSHAKE));
        assertEquals(TERMINALS, storm.phases.count(LoginListener.Phase.TCP_CONNECT));
        assertTrue(storm.phases.count(LoginListener.Phase.COSIGN_ROUND_TRIP) >= TERMINALS,
                "cosign round trips: " + storm.phases.count(LoginListener.Phase.COSIGN_ROUND_TRIP));
        assertEquals(TERMINALS, storm.phases.count(LoginListener.Phase.COSIGN_PIPELINED));
    }
}
