package io.gmgate.app;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "errors", mixinStandardHelpOptions = true,
        description = "List the error codes with cause and action, or explain one code.")
final class ErrorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CODE", description = "a code such as KEY-020")
    String code;

    @Override
    public Integer call() {
        if (code == null) {
            spec.commandLine().getOut().print(ErrorCatalog.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
        return ErrorCatalog.all().stream().filter(c -> c.code().equalsIgnoreCase(code)).findFirst()
                .map(c -> {
                    spec.commandLine().getOut().printf("%s%n  cause:  %s%n  action: %s%n  retry:  %s%n",
                            c.code(), c.cause(), c.action(), c.retryable() ? "may help" : "will not help");
                    return 0;
                })
                .orElseGet(() -> {
                    spec.commandLine().getErr().println("gmgate: unknown error code " + code);
                    return 1;
                });
    }
}
