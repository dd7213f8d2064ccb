package io.gmgate.app;

import java.io.Console;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;

import io.gmgate.app.config.AgentConfig;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate client …}: the SDK for people (seed 003 §7.3.1): apply for certificates, log in and
 * connect, sign and verify, co-decrypt, renew, reset the PIN, show status. Every failure prints its
 * code, cause and action. Endpoints, roots and the store come from the same file as the agent's.
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Terminal operations over the SDK.",
        subcommands = {ClientCommand.Enroll.class, ClientCommand.Status.class, ClientCommand.Sign.class,
            ClientCommand.Verify.class, ClientCommand.Decrypt.class, ClientCommand.Renew.class, ClientCommand.ResetPin.class,
            ClientCommand.Connect.class})
final class ClientCommand {

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "a YAML file with an agent: section (endpoints, roots, store)")
        Path config;

        @Option(names = "--password-file", description = "first line is the trading password (else a prompt)")
        Path passwordFile;

        @Option(names = "--pin-file", description = "first line is the PIN (else a prompt)")
        Path pinFile;

        GmgateClient client() throws Exception {
            AgentConfig a = AgentConfig.load(config);
            return new GmgateClient(new GmgateClient.Options(a.enrolment(), a.trading(),
                    GmPem.certificatesFromPem(Files.readString(Path.of(a.roots()))), Path.of(a.store()),
                    Duration.ofSeconds(3), Duration.ofSeconds(20), 100_000));
        }

        char[] secret(Path file, String prompt) throws Exception {
            if (file != null) {
                return Files.readAllLines(file).get(0).toCharArray();
            }
            Console c = System.console();
            if (c == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no terminal for the " + prompt
                        + " prompt: give it in a file");
            }
            return c.readPassword(prompt + ": ");
        }

        GmgateClient.Session login(GmgateClient c) throws Exception {
            return c.login(secret(passwordFile, "trading password"), secret(pinFile, "PIN"));
        }

        @Override
        public Integer call() throws Exception {
            try {
                return run(spec.commandLine().getOut());
            } catch (GmgateException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("gmgate: " + e.getMessage());
                err.println("  action: " + e.errorCode().action());
                return 1;
            }
        }

        abstract int run(PrintWriter out) throws Exception;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true, description = "Apply for the double certificate (first login).")
    static final class Enroll extends Base {
        @Option(names = "--account", required = true)
        String account;

        @Option(names = "--device", required = true, description = "a name for this device, e.g. desk-1")
        String device;

        @Override
        int run(PrintWriter out) throws Exception {
            var r = client().enroll(account, secret(passwordFile, "trading password"), device, secret(pinFile, "new PIN"));
            out.println("enrolled " + r.account() + "/" + r.deviceId() + ": sign certificate "
                    + GmPem.certificateFromDer(r.signChain().get(0)).getSerialNumber().toString(16));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Certificates, expiry, PIN tries, devices.")
    static final class Status extends Base {
        @Override
        int run(PrintWriter out) throws Exception {
            out.println(new io.vertx.core.json.JsonObject(login(client()).status().asMap()).encodePrettily());
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Co-sign a file; prints the signature (base64 DER).")
    static final class Sign extends Base {
        @Option(names = "--in", required = true)
        Path in;

        @Override
        int run(PrintWriter out) throws Exception {
            GmgateClient.Session s = login(client());
            Sm2Signature sig = s.sign(Files.readAllBytes(in));
            s.close();
            out.println(Base64.getEncoder().encodeToString(sig.toDer()));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a signature with a certificate (offline).")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cert", required = true)
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
            return ok ? 0 : 1;
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Co-decrypt a DER SM2 ciphertext file to stdout.")
    static final class Decrypt extends Base {
        @Option(names = "--in", required = true)
        Path in;

        @Override
        int run(PrintWriter out) throws Exception {
            byte[] plain = login(client()).decrypt(Sm2Ciphertext.fromDer(Files.readAllBytes(in)));
            out.flush();
            System.out.write(plain);
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true, description = "Renew online inside the window (resumes with a stored renewal code).")
    static final class Renew extends Base {
        @Override
        int run(PrintWriter out) throws Exception {
            var r = login(client()).renew();
            out.println("renewed: sign certificate " + GmPem.certificateFromDer(r.signChain().get(0)).getSerialNumber().toString(16));
            return 0;
        }
    }

    @Command(name = "reset-pin", mixinStandardHelpOptions = true, description = "Set a new PIN after re-checking the password.")
    static final class ResetPin extends Base {
        @Option(names = "--new-pin-file", description = "first line is the new PIN (else a prompt)")
        Path newPinFile;

        @Override
        int run(PrintWriter out) throws Exception {
            GmgateClient c = client();
            char[] password = secret(passwordFile, "trading password");
            c.login(password, secret(pinFile, "old PIN")).resetPin(password, secret(newPinFile, "new PIN"));
            out.println("PIN changed; the device's shares were re-made under the new PIN");
            return 0;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = "Open the two-way GM channel and pipe stdin/stdout through it (like openssl s_client).")
    static final class Connect extends Base {
        @Override
        int run(PrintWriter out) throws Exception {
            try (TlcpSocket s = login(client()).connect()) {
                spec.commandLine().getErr().println("connected: " + s.engine().suite());
                Thread up = new Thread(() -> copy(System.in, s.getOutputStream()), "stdin→gateway");
                up.setDaemon(true);
                up.start();
                copy(s.getInputStream(), System.out);
            }
            return 0;
        }

        private static void copy(InputStream in, OutputStream out) {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (java.io.IOException ignored) {
                // one side ended
            }
        }
    }
}
