package io.gmgate.app;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.TerminalConfig;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.Fields;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.sdk.TradingPath;
import io.gmgate.sdk.LocalStore;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate client …}: the SDK for people, one subcommand per scenario of docs/terminal.md —
 * first login (apply for certificates), connect, sign and verify, co-decrypt, renew, reset the PIN,
 * add a device, lock, unlock, revoke, change the password, status. Endpoints, roots and the store
 * come from the terminal file's {@code client:} section. Every failure prints its code and cause,
 * then the action; the exit status is 1 (2 for a bad command line or file).
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Terminal operations over the SDK.",
        subcommands = {ClientCommand.Enroll.class, ClientCommand.Status.class, ClientCommand.Connect.class,
            ClientCommand.Sign.class, ClientCommand.Verify.class, ClientCommand.Decrypt.class, ClientCommand.Renew.class,
            ClientCommand.ResetPin.class, ClientCommand.AddDevice.class, ClientCommand.Lock.class, ClientCommand.Unlock.class,
            ClientCommand.Revoke.class, ClientCommand.Password.class})
final class ClientCommand {

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the terminal's YAML (client: section: endpoints, roots, store)")
        Path config;

        @Option(names = "--password-file", description = "first line is the trading password (else $GMGATE_PASSWORD or a prompt)")
        Path passwordFile;

        @Option(names = "--pin-file", description = "first line is the PIN (else $GMGATE_PIN or a prompt)")
        Path pinFile;

        GmgateClient client;

        /** Every password and PIN this command asked for; all are wiped when it ends, whatever happened. */
        private final List<char[]> secrets = new ArrayList<>();

        char[] password(String what) {
            return kept(TerminalWiring.password(spec.commandLine(), passwordFile, what));
        }

        char[] pin(Path file, String what) {
            return kept(TerminalWiring.pin(spec.commandLine(), file, what));
        }

        char[] kept(char[] secret) {
            secrets.add(secret);
            return secret;
        }

        /** Logs in with the trading password and PIN, wiping both at once (a connection may outlive them). */
        GmgateClient.Session login() {
            char[] password = password("trading password");
            char[] pin = pin(pinFile, "PIN");
            try {
                return client.login(password, pin);
            } finally {
                Arrays.fill(password, '\0');
                Arrays.fill(pin, '\0');
            }
        }

        /** Logs in, runs {@code body} on the session and confirms its last co-signature before returning. */
        <T> T loggedIn(WithSession<T> body) throws Exception {
            return inSession(login(), body);
        }

        /** The same with secrets the command already asked for (it needs them again inside the body). */
        <T> T loggedIn(char[] password, char[] pin, WithSession<T> body) throws Exception {
            return inSession(client.login(password, pin), body);
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            try {
                client = TerminalWiring.client(TerminalConfig.load(config).client(), err);
                int rc = run(spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return rc;
            } catch (ConfigException e) {
                err.println("gmgate: " + e.getMessage());
                return 2;
            } catch (GmgateException e) {
                return TerminalWiring.report(err, e);
            } finally {
                secrets.forEach(c -> Arrays.fill(c, '\0'));
            }
        }

        abstract int run(PrintWriter out) throws Exception;
    }

    interface WithSession<T> {
        T apply(GmgateClient.Session s) throws Exception;
    }

    private static <T> T inSession(GmgateClient.Session s, WithSession<T> body) throws Exception {
        try {
            return body.apply(s);
        } finally {
            try {
                s.close();
            } catch (GmgateException ignored) {
                // the failure that matters is the body's; the server resets the counter on the next confirmation
            }
        }
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "First login on this device: apply for the double certificate (two-party keys, co-signed CSR).")
    static final class Enroll extends Base {
        @Option(names = "--account", required = true)
        String account;

        @Option(names = "--device", required = true, description = "a name for this device, e.g. desk-1")
        String device;

        @Override
        int run(PrintWriter out) {
            DeviceRecord r = client.enroll(account, password("trading password"), device, pin(pinFile, "new PIN"));
            var cert = GmPem.certificateFromDer(r.signChain().get(0));
            out.println("enrolled " + r.account() + "/" + r.deviceId() + ": sign certificate " + cert.getSerialNumber().toString(16)
                    + ", valid until " + cert.getNotAfter().toInstant() + "; shares PIN-masked in " + client.store().directory());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Keys, certificates, devices, PIN tries, renewal window and warnings (cosign API §5.14).")
    static final class Status extends Base {
        @Override
        int run(PrintWriter out) throws Exception {
            Fields f = loggedIn(GmgateClient.Session::status);
            out.println(new JsonObject(f.asMap()).encodePrettily());
            return 0;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = "Open the trading channel (two-way GM, or what the signed access policy allows) and pipe "
                    + "stdin/stdout through it (like openssl s_client).")
    static final class Connect extends Base {
        @Option(names = "--linger", defaultValue = "2000",
                description = "after stdin ends, wait this many ms for the rest of the answer (default: ${DEFAULT-VALUE})")
        long lingerMs;

        InputStream stdin = System.in;
        OutputStream stdout = System.out;

        @Override
        int run(PrintWriter out) throws Exception {
            char[] password = password("trading password");
            char[] pin = pin(pinFile, "PIN");
            TradingChannel s = client.openTrading(password, pin); // the path the verified access policy allows
            Arrays.fill(password, '\0');
            Arrays.fill(pin, '\0');
            try (s) {
                s.socket().setSoTimeout(0);
                PrintWriter err = spec.commandLine().getErr();
                err.println("connected to " + s.remote() + ": " + s + (s.path() == TradingPath.TWO_WAY ? ""
                        : " — the gateway does not know you on this path: log in to the counter in-band"));
                err.flush();
                Thread up = new Thread(() -> {
                    try {
                        copy(stdin, s.output());
                        Thread.sleep(lingerMs);
                        s.close();
                    } catch (InterruptedException | java.io.IOException ignored) {
                        // closing
                    }
                }, "stdin→gateway");
                up.setDaemon(true);
                up.start();
                copy(s.input(), stdout);
                up.interrupt();
            }
            return 0;
        }

        private static void copy(InputStream in, OutputStream out) {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (java.io.IOException | GmgateException ignored) {
                // one side ended
            }
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Co-sign a file; prints the signature (base64 DER).")
    static final class Sign extends Base {
        @Option(names = "--in", required = true)
        Path in;

        @Override
        int run(PrintWriter out) throws Exception {
            byte[] data = Files.readAllBytes(in);
            Sm2Signature sig = loggedIn(s -> s.sign(data));
            out.println(Base64.getEncoder().encodeToString(sig.toDer()));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a signature with a certificate (offline).")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cert", required = true, description = "the signer's sign certificate (PEM)")
        Path cert;

        @Option(names = "--in", required = true)
        Path in;

        @Option(names = "--signature", required = true, description = "base64 DER, as gmgate client sign prints it")
        String signature;

        @Override
        public Integer call() throws Exception {
            boolean ok = GmgateClient.verify(GmPem.certificatesFromPem(Files.readString(cert)).get(0), Files.readAllBytes(in),
                    Sm2Signature.fromDer(Base64.getDecoder().decode(signature.trim())));
            spec.commandLine().getOut().println(ok ? "signature OK" : "signature INVALID");
            spec.commandLine().getOut().flush();
            return ok ? 0 : 1;
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Co-decrypt a DER SM2 ciphertext sent to this device's encryption certificate.")
    static final class Decrypt extends Base {
        @Option(names = "--in", required = true)
        Path in;

        @Option(names = "--out", description = "where the plaintext goes (else stdout)")
        Path outFile;

        @Override
        int run(PrintWriter out) throws Exception {
            Sm2Ciphertext ct = Sm2Ciphertext.fromDer(Files.readAllBytes(in));
            byte[] plain = loggedIn(s -> s.decrypt(ct));
            try {
                if (outFile != null) {
                    Files.write(outFile, plain);
                } else {
                    out.flush();
                    System.out.write(plain);
                    System.out.flush();
                }
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Renew online inside the window; a renewal that failed half-way resumes with the stored renewal code.")
    static final class Renew extends Base {
        @Override
        int run(PrintWriter out) throws Exception {
            boolean resuming = client.store().require().renewalCode().isPresent();
            try {
                DeviceRecord r = loggedIn(GmgateClient.Session::renew);
                var cert = GmPem.certificateFromDer(r.signChain().get(0));
                out.println((resuming ? "renewal resumed and finished" : "renewed") + ": sign certificate "
                        + cert.getSerialNumber().toString(16) + ", valid until " + cert.getNotAfter().toInstant());
                return 0;
            } catch (GmgateException e) {
                if (client.store().load().flatMap(DeviceRecord::renewalCode).isPresent()) {
                    spec.commandLine().getErr().println("gmgate: the renewal code is kept in the store: "
                            + "run gmgate client renew again to resume (no second certificate is made)");
                }
                throw e;
            }
        }
    }

    @Command(name = "reset-pin", mixinStandardHelpOptions = true,
            description = "Re-check the password and re-share the keys under a new PIN (the old store becomes useless).")
    static final class ResetPin extends Base {
        @Option(names = "--new-pin-file", description = "first line is the new PIN (else a prompt)")
        Path newPinFile;

        @Override
        int run(PrintWriter out) throws Exception {
            char[] password = password("trading password");
            char[] oldPin = pin(pinFile, "old PIN");
            char[] newPin = pin(newPinFile, "new PIN");
            // not through a login: a PIN-locked device has its evaluation refused until the reset starts
            client.resetPin(password, oldPin, newPin);
            out.println("PIN changed: both keys re-shared under the new PIN; the old PIN and old copies of the store are useless");
            return 0;
        }
    }

    @Command(name = "add-device", mixinStandardHelpOptions = true,
            description = {"Give another device of yours fresh shares of the same keys and certificates (re-share).",
                "The new device's store is written to --to; carry it to the new device and point its client.store at it."})
    static final class AddDevice extends Base {
        @Option(names = "--new-device", required = true, description = "the new device's name, e.g. laptop-2")
        String newDevice;

        @Option(names = "--to", required = true, description = "an empty directory for the new device's store")
        Path to;

        @Option(names = "--new-pin-file", description = "first line is the new device's PIN (else a prompt)")
        Path newPinFile;

        @Override
        int run(PrintWriter out) throws Exception {
            LocalStore target = LocalStore.open(to);
            if (target.load().isPresent()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), to + " already holds a device store");
            }
            char[] newPin = pin(newPinFile, "PIN for " + newDevice);
            DeviceRecord r = loggedIn(s -> s.addDevice(newDevice, newPin));
            target.save(r);
            out.println("device " + r.account() + "/" + r.deviceId() + " added with the same certificate; its store is in " + to
                    + " — copy it to the new device over a channel you trust and log in there with its PIN");
            return 0;
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Lock this device's keys, or another device's (--target, e.g. a lost laptop).")
    static final class Lock extends Base {
        @Option(names = "--target", description = "a device of this account (default: this one)")
        String target;

        @Option(names = "--reason")
        String reason;

        @Override
        int run(PrintWriter out) throws Exception {
            Fields f = loggedIn(s -> s.lock(Optional.ofNullable(target), Optional.ofNullable(reason)));
            out.println("locked: " + keys(f));
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Lift a lock you set (PIN locks need reset-pin; operator locks the operator).")
    static final class Unlock extends Base {
        @Option(names = "--target", description = "a device of this account (default: this one)")
        String target;

        @Override
        int run(PrintWriter out) throws Exception {
            char[] password = password("trading password (re-check)");
            Fields f = loggedIn(s -> s.unlock(password, Optional.ofNullable(target)));
            out.println("unlocked: " + keys(f));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Destroy a device's shares (--scope device) or revoke the double certificate (--scope certificate).")
    static final class Revoke extends Base {
        enum Scope { DEVICE, CERTIFICATE }

        @Option(names = "--scope", required = true, description = "device or certificate")
        Scope scope;

        @Option(names = "--target", description = "a device of this account (default: this one)")
        String target;

        @Option(names = "--reason", description = "RFC 5280 reason name, e.g. keyCompromise (default: unspecified)")
        String reason;

        @Override
        int run(PrintWriter out) throws Exception {
            char[] password = password("trading password (re-check)");
            Fields f = loggedIn(s -> s.revoke(password, scope == Scope.CERTIFICATE, Optional.ofNullable(target),
                    Optional.ofNullable(reason)));
            out.println("revoked (" + scope.name().toLowerCase(java.util.Locale.ROOT) + "): " + keys(f)
                    + "; serials " + f.list("revokedSerials"));
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Change the trading password (built-in accounts); every other session of the account ends.")
    static final class Password extends Base {
        @Option(names = "--new-password-file", description = "first line is the new password (else a prompt)")
        Path newPasswordFile;

        @Override
        int run(PrintWriter out) throws Exception {
            char[] old = password("trading password");
            char[] fresh = kept(TerminalWiring.password(spec.commandLine(), newPasswordFile, "new trading password"));
            char[] pin = pin(pinFile, "PIN");
            loggedIn(old, pin, s -> {
                s.changePassword(old, fresh);
                return null;
            });
            out.println("password changed; other sessions of the account were ended");
            return 0;
        }
    }

    private static String keys(Fields f) {
        StringBuilder b = new StringBuilder();
        for (Object o : f.list("keys")) {
            if (o instanceof java.util.Map<?, ?> k) {
                b.append(b.length() == 0 ? "" : ", ").append(k.get("purpose")).append(" key ").append(k.get("keyId")).append(' ')
                        .append(k.get("state")).append(k.get("lockReason") == null ? "" : " (" + k.get("lockReason") + ")");
            }
        }
        return b.length() == 0 ? "no keys" : b.toString();
    }
}
