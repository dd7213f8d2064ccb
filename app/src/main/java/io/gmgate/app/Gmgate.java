package io.gmgate.app;

import java.util.ServiceLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gmgate} command: one launcher for the gateway, its operators and its demo. */
@Command(name = "gmgate",
        mixinStandardHelpOptions = true,
        versionProvider = Gmgate.Version.class,
        description = {
            "GM (商用密码) access gateway for futures firms: TLCP / TLS 1.3 SM termination,",
            "two-party SM2 co-signing (协同签名), certificates and the bypass switch (旁路)."},
        subcommands = {CardCommand.class, BackupCommand.class, CaCommand.class, AuditCommand.class, CosignCommand.class,
                AccountsCommand.class, ModeCommand.class, ServeCommand.class, AgentCommand.class, ClientCommand.class, DoctorCommand.class, ProbeCommand.class, PolicyCommand.class, ErrorsCommand.class,
                CommandLine.HelpCommand.class})
public final class Gmgate {

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs a command and flushes what it wrote: picocli's streams buffer (an OutputStreamWriter over
     * System.out), and {@code System.exit} does not flush them, so a command that ends with
     * {@code print} rather than {@code println} would otherwise print nothing.
     */
    static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With a factory that may set up a command before it runs (tests give {@code client connect} its streams). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new Gmgate(), factory);
        // the demo lives in its own jar (module demo), so that the production jar carries no embedded database
        ServiceLoader.load(JarCommand.class).stream().map(ServiceLoader.Provider::type).forEach(cli::addSubcommand);
        return cli.setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Gmgate.class.getPackage().getImplementationVersion();
            return new String[] {"gmgate " + (v == null ? "(development build)" : v)
                    + " on Java " + Runtime.version()};
        }
    }
}
