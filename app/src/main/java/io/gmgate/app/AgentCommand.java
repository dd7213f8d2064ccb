package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.gmgate.agent.LoginUpstream;
import io.gmgate.agent.TerminalAgent;
import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.TerminalConfig;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.SdkErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate agent --config FILE}: the local terminal proxy (docs/terminal.md), on 127.0.0.1 only. It logs
 * in and proves the PIN once at start, so a wrong password or PIN is said at once (and a wrong PIN
 * never burns the tries terminal by terminal); a gateway that is down at start is not fatal — the
 * enrolment relay runs and every trading connection tries again.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the local terminal proxy: plain TCP on 127.0.0.1:9000 → two-way GM TLCP to the gateway,",
            "plain HTTP on 127.0.0.1:8090 → one-way TLCP to the gateway's :8090, and GET /status."})
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "the terminal's YAML (client: and agent: sections)")
    Path config;

    @Option(names = "--pin-file", description = "first line is the PIN (service mode); else agent.pinFile, $GMGATE_PIN or a prompt")
    Path pinFile;

    @Option(names = "--password-file", description = "first line is the trading password; else agent.passwordFile, $GMGATE_PASSWORD or a prompt")
    Path passwordFile;

    /** Counted down to stop a running agent (the JVM's shutdown hook, or a test). */
    final CountDownLatch stop = new CountDownLatch(1);

    /** Stops a running agent as the JVM's shutdown hook does (for tests outside this package). */
    public void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TerminalConfig cfg;
        try {
            cfg = TerminalConfig.load(config);
        } catch (ConfigException e) {
            err.println("gmgate: " + e.getMessage());
            return 2;
        }
        GmgateClient client;
        try {
            client = TerminalWiring.client(cfg.client(), err);
        } catch (GmgateException e) {
            return TerminalWiring.report(err, e);
        }
        boolean enrolled = client.store().load().filter(r -> r.enrolled()).isPresent();
        LoginUpstream trading = null;
        if (enrolled) {
            char[] password = TerminalWiring.password(spec.commandLine(), first(passwordFile, cfg.agent().passwordFile()),
                    "trading password");
            char[] pin = TerminalWiring.pin(spec.commandLine(), first(pinFile, cfg.agent().pinFile()), "PIN");
            try {
                trading = new LoginUpstream(client, password, pin);
            } finally {
                Arrays.fill(password, '\0');
                Arrays.fill(pin, '\0');
            }
            try {
                trading.checkPin();
                out.println("logged in as " + client.store().require().account() + "/" + client.store().require().deviceId()
                        + "; PIN proven");
            } catch (GmgateException e) {
                String code = e.errorCode().code();
                if (e.errorCode() == SdkErrors.WRONG_PIN || code.equals("COSIGN-110") || code.equals("COSIGN-111")) {
                    trading.close();
                    return TerminalWiring.report(err, e);
                }
                err.println("gmgate: warning: " + e.getMessage() + " — trading connections will try again");
                err.println("  action: " + e.errorCode().action());
            }
        } else {
            err.println("gmgate: warning: " + SdkErrors.NOT_ENROLLED.code() + " no certificate in " + cfg.client().store()
                    + ": the trading port refuses until this device is enrolled; the enrolment relay runs");
            err.println("  action: " + SdkErrors.NOT_ENROLLED.action());
        }
        LoginUpstream login = trading;
        io.gmgate.agent.Upstream tradingSide = login != null ? login : () -> {
            throw new io.gmgate.sdk.SdkException(SdkErrors.NOT_ENROLLED, "no certificate in " + client.store().directory());
        };
        try (TerminalAgent agent = TerminalAgent.start(cfg.agent().settings(), tradingSide,
                io.gmgate.agent.Upstream.enrolment(client),
                Clock.systemUTC())) {
            out.println("agent up: 127.0.0.1:" + agent.tradingPort() + " → two-way TLCP to " + cfg.client().trading());
            out.println("          127.0.0.1:" + agent.enrolmentPort() + " → one-way TLCP to " + cfg.client().enrolment());
            out.println("          status: http://127.0.0.1:" + agent.statusPort() + "/status");
            out.flush();
            Thread hook = new Thread(stop::countDown, "gmgate-agent-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping: the hook ran
                }
            }
            return 0;
        } catch (GmgateException e) {
            if (login != null) {
                login.close();
            }
            return TerminalWiring.report(err, e);
        }
    }

    private static Path first(Path option, java.util.Optional<Path> configured) {
        return option != null ? option : configured.orElse(null);
    }
}
