package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.gmgate.app.config.CosignConfig;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.crypto.card.KekId;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.AuditEvent;
import io.gmgate.keystore.KekRotation;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.ShardStoreSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate card rotate-kek} (docs/keystore.md, "KEK rotation"): makes a new version of the key
 * store's KEK current in the configured card, then moves every server share, PIN OPRF key, key row,
 * PIN counter and tombstone to it ({@link KekRotation}). {@code --resume} only moves: after a KEY-112,
 * or after the card's vendor tool made the version. Both steps are audited.
 */
@Command(name = "rotate-kek", mixinStandardHelpOptions = true,
        description = {"Rotate the key store's KEK: make a new version current in the configured card, then re-wrap every",
            "share and PIN OPRF key and re-seal every key row, PIN counter and tombstone under it, in small batches",
            "while the site runs. Exit 0 when all moved, 1 with KEY-112 (run again with --resume) or KEY-116",
            "(rows edited outside gmgate were left as they were). Soft card: stop the nodes sharing the card file first."})
final class CardRotateKek implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "the gmgate configuration (database and card; cosign.kekIndex)")
    Path config;

    @Option(names = "--passphrase-file", description = "the card's secret (else card.passphraseFile, the type's environment variable, or a prompt)")
    Path secretFile;

    @Option(names = "--resume", description = "make no new version: move what is still below the card's current version")
    boolean resume;

    @Option(names = "--batch", defaultValue = "200", description = "rows per transaction, 1..10000 (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000) {
            throw new ParameterException(spec.commandLine(), "--batch must be 1..10000, was " + batch);
        }
        GmgateConfig cfg = BackupCommand.load(spec, config);
        int kekIndex = cfg.cosign().map(CosignConfig::kekIndex).orElse(1);
        ShardStoreSettings settings = new ShardStoreSettings("rotate-kek", kekIndex, ShardStoreSettings.DEFAULT_PIN_LOCK_THRESHOLD, 0,
                Duration.ofSeconds(1));
        CardSecrets secret = CardPassphrase.read(spec.commandLine(), cfg.card(), secretFile);
        PrintWriter out = spec.commandLine().getOut();
        try (StoreWiring store = new StoreWiring(cfg, "rotate-kek-" + cfg.node().name(), secret, settings)) {
            String actor = BackupCommand.actor();
            if (!resume) {
                KekId before = store.card.currentKek(kekIndex);
                KekId made = store.card.rotateKek(kekIndex);
                store.shards.audit().append(new AuditEvent(actor, "kek-new-version", null, null, null, null,
                        "made " + made + " current in " + store.card.name() + " (was " + before + ")", null));
                out.println("new KEK:  " + made + " is current in " + store.card.name() + " (was " + before + ")");
            }
            out.println("moving:   every row below " + store.card.currentKek(kekIndex) + ", " + batch + " per transaction");
            out.flush();
            KekRotation.Progress p = new KekRotation(store.dataSource, store.card, settings, batch).run(actor);
            for (KekRotation.KindProgress k : p.kinds()) {
                out.printf("  %-15s %6d at %s, %d left%n", k.kind(), k.done(), p.target(), k.remaining());
            }
            out.println("moved:    " + p.moved() + " rows by this run");
            out.flush();
            if (!p.refused().isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("gmgate: " + KeystoreErrors.ROTATION_LEFT_TAMPERED_ROWS.code() + " " + p.refused().size()
                        + " rows did not verify and were left under the old KEK version:");
                p.refused().forEach(r -> err.println("  " + r));
                err.println("  action: " + KeystoreErrors.ROTATION_LEFT_TAMPERED_ROWS.action());
                err.flush();
                return 1;
            }
            out.println("done:     the KEK versions below " + p.target() + " protect no key store row any more; keep them in the"
                    + " card for the audit records they MAC'd (gmgate audit verify)");
            out.flush();
            return 0;
        } catch (GmgateException e) {
            return BackupCommand.failed(spec, e);
        } catch (io.gmgate.app.config.ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
