package io.gmgate.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.postgresql.ds.PGSimpleDataSource;

import io.gmgate.ca.CaSchema;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.PgCaStore;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.error.GmgateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate ca init|status}: the embedded CA (design §7). init creates the root and issuing CA
 * keys inside the cipher card, their certificates in PostgreSQL, and the gateway's TLCP sign and
 * encryption certificates for keys that also stay in the card; it writes only certificates (PEM).
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "Create and inspect the embedded SM2 certificate authority.",
        subcommands = {CaCommand.Init.class, CaCommand.Status.class})
final class CaCommand {

    static final String DB_USER_ENV = "GMGATE_DB_USER";
    static final String DB_PASSWORD_ENV = "GMGATE_DB_PASSWORD";

    abstract static class CaAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--card", required = true, description = "the software cipher card file (see 'gmgate card init')")
        Path card;

        @Option(names = "--passphrase-file", description = "read the card passphrase from this file's first line (service mode)")
        Path passphraseFile;

        @Option(names = "--db-url", required = true,
                description = "jdbc:postgresql:// URL; user and password come from " + DB_USER_ENV + " and " + DB_PASSWORD_ENV)
        String dbUrl;

        @Option(names = "--firm", defaultValue = "gmgate", description = "the firm's name, O= in every subject (default: ${DEFAULT-VALUE})")
        String firm;

        @Override
        public Integer call() {
            if (!dbUrl.startsWith("jdbc:postgresql:")) {
                spec.commandLine().getErr().println("gmgate: --db-url must be a jdbc:postgresql: URL");
                return 2;
            }
            char[] passphrase = CardPassphrase.read(spec.commandLine(), passphraseFile);
            try (SoftCipherCard c = SoftCipherCard.open(card, passphrase)) {
                Arrays.fill(passphrase, '\0');
                PgCaStore store = new PgCaStore(dataSource(migrates()));
                return run(spec.commandLine().getOut(), c, store);
            } catch (GmgateException e) {
                spec.commandLine().getErr().println("gmgate: " + e.getMessage());
                spec.commandLine().getErr().println("  action: " + e.errorCode().action());
                return 1;
            } catch (RuntimeException e) {
                // the database refused (Flyway), a file could not be written, the CA exists already: one line, no trace
                spec.commandLine().getErr().println("gmgate: " + e.getMessage());
                return 1;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }

        abstract int run(PrintWriter out, SoftCipherCard card, PgCaStore store);

        /** Only init changes the schema; status reads what is there. */
        boolean migrates() {
            return false;
        }

        private javax.sql.DataSource dataSource(boolean migrate) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(dbUrl);
            String user = System.getenv(DB_USER_ENV);
            if (user != null && !user.isEmpty()) {
                ds.setUser(user);
            } else if (ds.getUser() == null) {
                ds.setUser("gmgate");
            }
            String password = System.getenv(DB_PASSWORD_ENV);
            if (password != null) {
                ds.setPassword(password);  // never on the command line, where ps shows it
            }
            if (migrate) {
                CaSchema.migrate(ds);
            }
            return ds;
        }

        EmbeddedCaConfig config() {
            return EmbeddedCaConfig.defaults(firm);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create the root and issuing CA (keys in the card, certificates in PostgreSQL) and the gateway's",
                "TLCP sign and encryption certificates; write their PEMs to --out. Refuses to run twice."})
    static final class Init extends CaAction {
        @Option(names = "--out", required = true, description = "directory for root.pem, issuing.pem, ca-chain.pem, gateway-*.pem")
        Path out;

        @Option(names = "--gateway-name", defaultValue = "gateway", description = "CN of the gateway certificates (default: ${DEFAULT-VALUE})")
        String gatewayName;

        @Option(names = "--gateway-dns", description = "a DNS name terminals dial the gateway by (repeatable; GmSSL clients match DNS names only)")
        List<String> dnsNames = new ArrayList<>();

        @Option(names = "--gateway-ip", description = "an IP address terminals dial the gateway at (repeatable); at least one --gateway-dns or --gateway-ip")
        List<String> ips = new ArrayList<>();

        @Option(names = "--gateway-sign-key", defaultValue = "201", description = "card index of the gateway's sign key (default: ${DEFAULT-VALUE})")
        int signKey;

        @Option(names = "--gateway-enc-key", defaultValue = "202", description = "card index of the gateway's encryption key (default: ${DEFAULT-VALUE})")
        int encKey;

        @Option(names = "--crl-url", description = "URL of the issuing CA's CRL, written into issued certificates")
        String crlUrl;

        static final List<String> FILES = List.of("root.pem", "issuing.pem", "ca-chain.pem", "gateway-sign.pem",
                "gateway-enc.pem", "gateway-chain.pem");

        @Override
        int run(PrintWriter w, SoftCipherCard card, PgCaStore store) {
            for (String f : FILES) {
                if (Files.exists(out.resolve(f))) {
                    spec.commandLine().getErr().println("gmgate: " + out.resolve(f) + " exists; refusing to overwrite it");
                    return 1;
                }
            }
            for (int index : new int[] {signKey, encKey}) {
                if (holdsKey(card, index)) {
                    spec.commandLine().getErr().println("gmgate: card key #" + index + " is taken; choose another --gateway-*-key");
                    return 1;
                }
            }
            if (dnsNames.isEmpty() && ips.isEmpty()) {  // terminals accept the gateway only for a name in its SAN (design §4 step 5)
                spec.commandLine().getErr().println("gmgate: give the names terminals dial: at least one --gateway-dns or --gateway-ip");
                return 2;
            }
            EmbeddedCaConfig config = crlUrl == null ? config() : config().withCrlUrl(crlUrl);
            EmbeddedCa ca = EmbeddedCa.init(config, card, store, Clock.systemUTC());
            Sm2PublicKey sign = card.generateSm2Key(signKey);
            Sm2PublicKey enc = card.generateSm2Key(encKey);
            List<GeneralName> alt = new ArrayList<>();
            dnsNames.forEach(d -> alt.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> alt.add(new GeneralName(GeneralName.iPAddress, ip)));
            X500Name subject = new X500Name(BCStyle.INSTANCE, "CN=" + escape(gatewayName) + ",O=" + escape(firm) + ",C=CN");
            IssuedCertificates gw = ca.issueGateway(gatewayName, subject, sign, enc, alt);
            try {
                Files.createDirectories(out);
                write("root.pem", ca.rootCertificate());
                write("issuing.pem", ca.issuingCertificate());
                write("ca-chain.pem", ca.issuingCertificate(), ca.rootCertificate());
                write("gateway-sign.pem", gw.sign());
                write("gateway-enc.pem", gw.enc());
                write("gateway-chain.pem", gw.sign(), ca.issuingCertificate(), ca.rootCertificate());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
            }
            w.println("created CA '" + ca.name() + "' in " + card.name());
            w.println("  root:    " + describe(ca.rootCertificate()) + " (card key #" + config.rootKeyIndex() + ")");
            w.println("  issuing: " + describe(ca.issuingCertificate()) + " (card key #" + config.issuingKeyIndex() + ")");
            w.println("  gateway: " + describe(gw.sign()) + " sign key #" + signKey + ", enc key #" + encKey);
            w.println("  wrote " + String.join(", ", FILES) + " to " + out);
            w.flush();
            return 0;
        }

        @Override
        boolean migrates() {
            return true;
        }

        private static boolean holdsKey(SoftCipherCard card, int index) {
            try {
                card.sm2PublicKey(index);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        private void write(String name, X509CertificateHolder... certs) throws IOException {
            StringBuilder pem = new StringBuilder();
            for (X509CertificateHolder c : certs) {
                pem.append(GmPem.toPem(c));
            }
            Files.writeString(out.resolve(name), pem);
        }

        private static String escape(String v) {
            return v.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Open the embedded CA, check its keys against the card, and report what it issued.")
    static final class Status extends CaAction {
        @Override
        int run(PrintWriter w, SoftCipherCard card, PgCaStore store) {
            EmbeddedCa ca = EmbeddedCa.open(config(), card, store, Clock.systemUTC());
            Instant now = Instant.now();
            w.println("CA '" + ca.name() + "': keys in " + card.name() + " match the stored certificates");
            w.println("  root:    " + describe(ca.rootCertificate()));
            w.println("  issuing: " + describe(ca.issuingCertificate()));
            long daysLeft = java.time.Duration.between(now, ca.issuingCertificate().getNotAfter().toInstant()).toDays();
            w.println("  issuing CA expires in " + daysLeft + " days");
            Map<String, Long> counts = store.counts();
            w.println("  issued:  " + (counts.isEmpty() ? "nothing yet" : counts));
            store.latestCrl(ca.issuingCertificate().getSubject().toString()).ifPresentOrElse(
                    crl -> w.println("  CRL:     #" + crl.number() + ", next update " + crl.nextUpdate()
                            + (crl.nextUpdate().isBefore(now) ? " (STALE: it is re-signed on the next request)" : "")),
                    () -> w.println("  CRL:     none published yet"));
            w.flush();
            return 0;
        }
    }

    static String describe(X509CertificateHolder c) {
        return c.getSubject() + ", serial " + c.getSerialNumber().toString(16) + ", valid to " + c.getNotAfter().toInstant();
    }
}
