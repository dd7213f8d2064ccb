package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.app.config.ConfigNode;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.config.PolicySigningSettings;
import io.gmgate.session.SessionErrors;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.error.GmgateException;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.Rollout;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.session.PgPolicyStore;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate policy key|sign|publish}: the firm's signed access policy (design §5). The policy key lives
 * in the cipher card; terminals are given its public key and accept endpoint or mode changes —
 * above all a downgrade — only from a fresh policy it signed.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Manage the signed access policy for terminals.",
        subcommands = {PolicyCommand.Key.class, PolicyCommand.Sign.class, PolicyCommand.Publish.class})
final class PolicyCommand {

    abstract static class WithCard implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "gmgate.yaml (its card: section is used)")
        Path config;

        @Option(names = "--key-index", defaultValue = "203", description = "card index of the policy key (default: ${DEFAULT-VALUE})")
        int keyIndex;

        @Override
        public Integer call() throws Exception {
            GmgateConfig cfg = GmgateConfig.load(config);
            try (io.gmgate.app.wiring.CardSecrets pass = CardPassphrase.read(spec.commandLine(), cfg.card(), null);
                    CipherCard card = Cards.open(cfg.card(), pass)) {
                return run(spec.commandLine().getOut(), card);
            } catch (GmgateException e) {
                spec.commandLine().getErr().println("gmgate: " + e.getMessage());
                spec.commandLine().getErr().println("  action: " + e.errorCode().action());
                return 1;
            }
        }

        abstract int run(PrintWriter out, CipherCard card) throws Exception;
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Create the policy key in the card if absent and print its public key (PEM) for terminals.")
    static final class Key extends WithCard {
        @Override
        int run(PrintWriter out, CipherCard card) {
            io.gmgate.crypto.Sm2PublicKey pub;
            try {
                pub = card.sm2PublicKey(keyIndex);
            } catch (GmgateException absent) {
                pub = card.generateSm2Key(keyIndex);
            }
            out.print(GmPem.publicKeyToPem(pub));
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign an access policy into a file terminals fetch.")
    static final class Sign extends WithCard {
        @Option(names = "--serial", required = true, description = "must grow with every policy published")
        long serial;

        @Option(names = "--mode", defaultValue = "NORMAL", description = "NORMAL, ONE_WAY or BYPASS (default: ${DEFAULT-VALUE})")
        AccessPolicy.Mode mode;

        @Option(names = "--valid", description = "validity from now, e.g. 2h (default: policy.normalValidity, 24h, for NORMAL; "
                + "policy.weakerValidity, 2h, for a policy that allows less than two-way GM)")
        String valid;

        @Option(names = "--force", description = "sign a downgrade valid longer than policy.weakerMaxValidity (8h)")
        boolean force;

        @Option(names = "--enrolment", required = true, description = "site=host:port of a :8090 endpoint (repeatable, in order)")
        List<String> enrolment;

        @Option(names = "--trading", required = true, description = "site=host:port of a :9000 endpoint (repeatable, in order)")
        List<String> trading;

        @Option(names = "--emergency", description = "site=host:port of a bypass address (repeatable)")
        List<String> emergency = new ArrayList<>();

        @Option(names = "--rollout-share", defaultValue = "100",
                description = "during a gradual rollout: % of accounts that must use GM, by a stable hash (default: ${DEFAULT-VALUE})")
        int rolloutShare;

        @Option(names = "--rollout-account", description = "an account that must use GM whatever the share (repeatable)")
        List<String> rolloutAccounts = new ArrayList<>();

        @Option(names = "--out", required = true, description = "the signed policy file")
        Path out;

        @Override
        int run(PrintWriter w, CipherCard card) throws Exception {
            if (rolloutShare < 0 || rolloutShare > 100) {
                spec.commandLine().getErr().println("gmgate: --rollout-share must be 0..100 %, got " + rolloutShare);
                return 2;
            }
            Instant now = Clock.systemUTC().instant();
            AccessPolicy draft = new AccessPolicy(serial, now, now.plusSeconds(1), mode, endpoints(enrolment), endpoints(trading),
                    endpoints(emergency), new Rollout(new java.util.HashSet<>(rolloutAccounts), rolloutShare));
            PolicySigningSettings limits = GmgateConfig.load(config).policy();
            java.time.Duration validity = valid != null ? ConfigNode.duration("--valid", valid)
                    : draft.allowsWeakerPaths() ? limits.weakerValidity() : limits.normalValidity();
            if (draft.allowsWeakerPaths() && validity.compareTo(limits.weakerMaxValidity()) > 0 && !force) {
                spec.commandLine().getErr().println("gmgate: " + SessionErrors.POLICY_TOO_LONG.code() + " a " + mode
                        + " policy (or one with an incomplete rollout) valid for " + validity + " is longer than "
                        + "policy.weakerMaxValidity " + limits.weakerMaxValidity()
                        + ": a downgrade should lapse on its own; re-sign while the emergency lasts, or add --force");
                spec.commandLine().getErr().println("  action: " + SessionErrors.POLICY_TOO_LONG.action());
                return 2;
            }
            AccessPolicy p = new AccessPolicy(serial, now, now.plus(validity), mode, draft.enrolment(), draft.trading(),
                    draft.emergency(), draft.rollout());
            Files.write(out, SignedPolicy.sign(p, Sm2SignKey.onCard(card, keyIndex)));
            w.println("policy #" + serial + " (" + mode + ", GM required of " + p.rollout() + ", valid until " + p.notAfter()
                    + ") signed into " + out);
            return 0;
        }

        private static List<Endpoint> endpoints(List<String> specs) {
            List<Endpoint> out = new ArrayList<>();
            for (String s : specs) {
                int eq = s.indexOf('=');
                out.add(eq > 0 ? Endpoint.parse(s.substring(0, eq), s.substring(eq + 1)) : Endpoint.parse("main", s));
            }
            return out;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a signed policy: every cosign node hands it to terminals (POST /v1/policy over :8090).")
    static final class Publish extends WithCard {
        @Parameters(index = "0", description = "the signed policy file (from gmgate policy sign)")
        Path policy;

        @Option(names = "--operator", description = "who publishes it (default: $USER)")
        String operator;

        @Override
        int run(PrintWriter w, CipherCard card) throws Exception {
            byte[] signed = Files.readAllBytes(policy);
            // what terminals will check, checked first: a policy they would refuse is not published
            AccessPolicy p = new AccessPolicyVerifier(card.sm2PublicKey(keyIndex), Clock.systemUTC(), java.time.Duration.ofMinutes(5),
                    java.util.Optional.empty()).accept(signed);
            GmgateConfig cfg = GmgateConfig.load(config);
            try (HikariDataSource ds = PgPool.open(new PgPoolSettings("policy-cli", cfg.database().url(), cfg.database().user(),
                    CosignWiring.dbPassword(cfg.database()), 2, java.time.Duration.ofSeconds(5)))) {
                KeystoreSchema.migrate(ds);
                new PgPolicyStore(ds).publish(p.serial(), signed,
                        operator != null ? operator : "cli:" + System.getProperty("user.name", "unknown"));
            }
            w.println("policy #" + p.serial() + " (" + p.mode() + ", valid until " + p.notAfter() + ") published");
            return 0;
        }
    }
}
