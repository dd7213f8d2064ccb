package io.gmgate.app;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.gmgate.app.agent.TerminalAgent;
import io.gmgate.app.config.AgentConfig;
import io.gmgate.app.config.ConfigException;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmgate agent --config FILE}: the local terminal proxy (seed 000), listening on 127.0.0.1 only. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the local terminal proxy: plain TCP on 127.0.0.1, two-way GM TLCP to the gateway.")
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "a YAML file with an agent: section")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AgentConfig a;
        try {
            a = AgentConfig.load(config);
        } catch (ConfigException e) {
            err.println("gmgate: " + e.getMessage());
            return 2;
        }
        char[] password = secret(a.passwordFile().orElse(null), "trading password: ");
        char[] pin = secret(a.pinFile().orElse(null), "PIN: ");
        try {
            GmgateClient client = new GmgateClient(new GmgateClient.Options(a.enrolment(), a.trading(),
                    GmPem.certificatesFromPem(Files.readString(Path.of(a.roots()))), Path.of(a.store()),
                    Duration.ofSeconds(3), Duration.ofSeconds(20), 100_000));
            GmgateClient.Session session = client.login(password, pin);
            try (TerminalAgent agent = new TerminalAgent(session, new TerminalAgent.Ports(a.tradingPort(), a.statusPort()),
                    a.maxConnections())) {
                out.println("agent up: 127.0.0.1:" + agent.tradingPort() + " → two-way TLCP to " + a.trading()
                        + "; status on http://127.0.0.1:" + agent.statusPort() + "/status");
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gmgate-agent-stop"));
                stop.await();
            }
            return 0;
        } catch (GmgateException e) {
            err.println("gmgate: " + e.getMessage());
            err.println("  action: " + e.errorCode().action());
            return 1;
        } finally {
            java.util.Arrays.fill(password, '\0');
            java.util.Arrays.fill(pin, '\0');
        }
    }

    private char[] secret(String file, String prompt) throws java.io.IOException {
        if (file != null) {
            return Files.readAllLines(Path.of(file)).get(0).toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no terminal to ask for the " + prompt.trim() + " — set it in a file (service mode)");
        }
        return console.readPassword(prompt);
    }
}
