package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class GmgateCommandTest {

    @Test
    void helpListsTheDemo() {
        StringWriter out = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("demo"), out.toString());
    }

    @Test
    void theDemoTakesATraderFromEnrolmentToAnAcknowledgedOrder() {
        StringWriter out = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("demo"), out.toString());
        assertTrue(out.toString().contains("PASSED"), out.toString());
        assertTrue(out.toString().contains("0 failed"), out.toString());
        assertTrue(out.toString().matches("(?s).*PASSED +[0-9.]+ ms +two-party SM2 co-signing .*"), out.toString());
        assertTrue(out.toString().matches("(?s).*PASSED +[0-9.]+ ms +log in to the trading front over :9000 \\(two-way TLCP\\) +"
                + "ECC_SM4_GCM_SM3; front got 'OK LOGIN 8001234' for verified account 8001234.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*PASSED +[0-9.]+ ms +MARKET order and its fill report +'ACK 8001234 (O\\d+) M1' "
                + "then 'FILL \\1 1 3500'.*"), out.toString());
        assertTrue(out.toString().contains("POSITIONS  ->  POSITION rb2605 1 / END POSITIONS"), out.toString());
        assertTrue(out.toString().contains("starting the site") && out.toString().contains("PostgreSQL up"), out.toString());
        assertTrue(out.toString().contains("PASSED") && out.toString().contains("CERT-403"), out.toString());
        assertTrue(out.toString().contains("5 tries left"), "one mistyped PIN costs one try: " + out);
        assertTrue(out.toString().contains("summary: 21 passed, 0 failed"), out.toString());
    }

    @Test
    void unknownCommandFailsWithUsage() {
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("no-such-command"));
        assertTrue(err.toString().contains("Unmatched argument"), err.toString());
    }
}
