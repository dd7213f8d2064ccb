package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.TerminalConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate doctor}: a terminal's setup checked the way the clearing house's manual has people do
 * it by hand (docs/terminal.md) — one PASS/WARN/FAIL line per check; a failure says its code and cause, and on the next
 * line what to do. Exits 1 when anything failed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check a terminal's setup and say what to fix.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "the terminal's YAML (client: and, if used, agent: sections)")
    Path config;

    @Option(names = "--warn-days", defaultValue = "30", description = "warn when the certificate expires within this many days")
    int warnDays;

    @Option(names = "--timeout", defaultValue = "3000", description = "per connection, in ms (default: ${DEFAULT-VALUE})")
    int timeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TerminalConfig cfg;
        try {
            cfg = TerminalConfig.load(config);
            print(out, TerminalDoctor.Verdict.PASS, "configuration", config + " reads", "");
        } catch (ConfigException e) {
            print(out, TerminalDoctor.Verdict.FAIL, "configuration", e.getMessage(), "fix the file: the message names the key");
            out.println("1 check(s) failed");
            out.flush();
            return 1;
        }
        List<TerminalDoctor.Finding> findings = new TerminalDoctor(cfg, warnDays, Duration.ofMillis(timeoutMs), Clock.systemUTC()).run();
        long failed = findings.stream().filter(f -> f.verdict() == TerminalDoctor.Verdict.FAIL).count();
        findings.forEach(f -> print(out, f.verdict(), f.check(), f.detail(), f.action()));
        out.println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static void print(PrintWriter out, TerminalDoctor.Verdict v, String check, String detail, String action) {
        out.printf("%-4s  %-36s %s%n", v, check, detail);
        if (!action.isEmpty() && v != TerminalDoctor.Verdict.PASS) {
            out.printf("      → %s%n", action);
        }
    }
}
