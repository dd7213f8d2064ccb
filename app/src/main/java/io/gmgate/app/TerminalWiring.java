package io.gmgate.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.config.ClientConfig;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.SdkException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.sdk.policy.LivePolicy;
import picocli.CommandLine;

/**
 * The terminal side as a {@code client:} section names it: the SDK client over the configured
 * endpoints, roots and store; the PIN and password from a file, the environment or a prompt; and
 * the one way every terminal command reports a failure — code and cause, then the action.
 */
final class TerminalWiring {

    static final String PIN_ENV = "GMGATE_PIN";
    static final String PASSWORD_ENV = "GMGATE_PASSWORD";

    private TerminalWiring() {
    }

    static GmgateClient client(ClientConfig c) {
        return client(c, null);
    }

    /**
     * With the firm's policy key configured (design §5), the terminal goes by a live policy: the signed
     * policy file (if any) is verified against the key and the highest serial this device accepted,
     * its endpoints replace the file's, and it is read again — and checked against the clock — at every
     * {@code GmgateClient.openTrading}, so a running agent follows a new policy without a restart. A
     * policy that is refused leaves the file's endpoints in force, and {@code warnings} (if given) says why.
     */
    static GmgateClient client(ClientConfig c, PrintWriter warnings) {
        List<io.gmgate.policy.Endpoint> enrolment = c.enrolment();
        List<io.gmgate.policy.Endpoint> trading = c.trading();
        java.util.Optional<AccessPolicy> accepted = java.util.Optional.empty();
        LivePolicy live = null;
        if (c.policyKey().isPresent()) {
            try {
                live = new LivePolicy(LocalStore.open(c.store()), GmPem.publicKeyFromPem(Files.readString(c.policyKey().get())),
                        c.policy(), Clock.systemUTC(), GmgateClient.POLICY_SKEW);
                accepted = live.reload();
            } catch (IOException | RuntimeException e) {
                if (warnings != null) {
                    String why = e instanceof GmgateException g ? g.getMessage() : io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED.code() + " "
                            + e.getMessage();
                    warnings.println("gmgate: warning: " + why + " — keeping the endpoints in the file");
                    warnings.flush();
                }
            }
            AccessPolicy p = accepted.orElse(null);
            if (p != null) {
                enrolment = p.enrolment().isEmpty() ? enrolment : p.enrolment();
                trading = p.trading().isEmpty() ? trading : p.trading();
            }
        }
        GmgateClient.Options options = new GmgateClient.Options(enrolment, trading, roots(c.roots()), c.store(),
                c.connectTimeout(), c.failoverBudget(), c.pinIterations(), accepted).withGatewayPins(c.gatewayPins());
        return live == null ? new GmgateClient(options) : new GmgateClient(options, live);
    }

    /** The trust roots; CERT-405 when the file is missing or holds no certificate (docs/terminal.md: wrong root path). */
    static List<X509CertificateHolder> roots(Path file) {
        List<X509CertificateHolder> roots;
        try {
            roots = GmPem.certificatesFromPem(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new SdkException(SdkErrors.ROOTS_MISSING, "cannot read roots from " + file + ": " + e.getMessage(), e);
        }
        if (roots.isEmpty()) {
            throw new SdkException(SdkErrors.ROOTS_MISSING, file + " holds no PEM certificate");
        }
        return roots;
    }

    static char[] pin(CommandLine cli, Path file, String what) {
        return CardPassphrase.read(cli, file, PIN_ENV, what);
    }

    static char[] password(CommandLine cli, Path file, String what) {
        return CardPassphrase.read(cli, file, PASSWORD_ENV, what);
    }

    /** Code and cause on one line, the action on the next (design §8). */
    static int report(PrintWriter err, GmgateException e) {
        err.println("gmgate: " + e.getMessage());
        err.println("  action: " + e.errorCode().action());
        err.flush();
        return 1;
    }
}
