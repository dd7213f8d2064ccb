package io.gmgate.app.demo;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.Sm4;
import io.gmgate.crypto.twoparty.ClientDecryption;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.DecryptRequest;
import io.gmgate.crypto.twoparty.DecryptResponse;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.KeyGenRequest;
import io.gmgate.crypto.twoparty.KeyGenResponse;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.crypto.twoparty.SignResponse;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.app.JarCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demo (README's main command): the GM primitives, then a whole pattern-A site on
 * 127.0.0.1 and a trader using it through the SDK. Each stage is reported with its timing; the
 * command exits non-zero if any stage fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the end-to-end demo on embedded defaults and print what happened.")
public final class DemoCommand implements Callable<Integer>, JarCommand {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--keep-running",
            description = "after the steps, keep the site up and print its addresses, root file and credentials (Ctrl-C ends)")
    boolean keepRunning;

    private final List<DemoStep> steps = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("gmgate demo — pattern A of T/ZQX 0002-2024 on embedded defaults");
        out.flush();

        run(out, "SM3 / SM4 known-answer checks", this::knownAnswers);
        run(out, "SM2 sign and verify (ID 1234567812345678)", this::signAndVerify);
        run(out, "SM2 encrypt and decrypt (C1C3C2)", this::encryptAndDecrypt);
        run(out, "two-party SM2 key generation", this::coKeyGen);
        run(out, "two-party SM2 co-signing", this::coSign);
        run(out, "two-party SM2 co-decryption", this::coDecrypt);
        EndToEndDemo site = new EndToEndDemo(this, out, keepRunning);
        try {
            site.run();
        } catch (Exception e) {
            record(out, new DemoStep("pattern-A site", DemoStep.Status.FAILED, Duration.ZERO, String.valueOf(e.getMessage())));
        }

        report(out, site.conversation());
        long failed = steps.stream().filter(s -> s.status() == DemoStep.Status.FAILED).count();
        out.printf("%nsummary: %d passed, %d failed%n", steps.size() - failed, failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private String knownAnswers() {
        byte[] sm3 = Sm3.digest("abc".getBytes(StandardCharsets.US_ASCII));
        require(hex(sm3).equals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"), "SM3(\"abc\")");
        byte[] key = unhex("0123456789abcdeffedcba9876543210");
        byte[] ct = Sm4.ecb(true, key, key);
        require(hex(ct).equals("681edf34d206965e86b3e94f536e4246"), "SM4 GB/T 32907 example");
        return "GB/T 32905 and GB/T 32907 examples match";
    }

    private String signAndVerify() {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        byte[] order = "BUY rb2605 1 @ 3500".getBytes(StandardCharsets.UTF_8);
        Sm2Signature sig = Sm2Signer.sign(key, order);
        require(Sm2Signer.verify(key.publicKey(), order, sig), "own signature verifies");
        byte[] tampered = order.clone();
        tampered[0] ^= 1;
        require(!Sm2Signer.verify(key.publicKey(), tampered, sig), "tampered message is refused");
        key.destroy();
        return "signature verifies; a tampered message does not";
    }

    private String encryptAndDecrypt() {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        byte[] secret = "pre-master secret".getBytes(StandardCharsets.US_ASCII);
        Sm2Ciphertext ct = Sm2Cipher.encrypt(key.publicKey(), secret);
        require(Arrays.equals(secret, Sm2Cipher.decrypt(key, ct)), "round trip");
        key.destroy();
        return ct.toDer().length + "-byte DER SM2Cipher round trip";
    }

    private ClientKeyShare terminalShare;
    private ServerKeyShare serverShare;

    /** Both halves run here, but every message crosses as its wire bytes, as it will over HTTP. */
    private String coKeyGen() {
        KeyGenBinding binding = new KeyGenBinding("demo-session", "demo-trader", "demo-device");
        ClientKeyGen terminal = ClientKeyGen.start(binding);
        KeyGenRequest request = KeyGenRequest.fromBytes(terminal.request().toBytes());
        TwoPartyServer.KeyGenResult server = TwoPartyServer.keyGen(binding, request);
        serverShare = server.share();
        terminalShare = terminal.finish(KeyGenResponse.fromBytes(server.response().toBytes()));
        require(terminalShare.jointKey().equals(serverShare.jointKey()), "both sides derive the same joint key");
        return "joint public key " + terminalShare.jointKey() + "; neither side holds d";
    }

    private String coSign() {
        byte[] order = "BUY rb2605 1 @ 3500".getBytes(StandardCharsets.UTF_8);
        ClientSigning signing = ClientSigning.start(terminalShare, Sm2Signer.defaultId(), order);
        SignRequest request = SignRequest.fromBytes(signing.request().toBytes());
        SignResponse response = SignResponse.fromBytes(TwoPartyServer.sign(serverShare, request).toBytes());
        Sm2Signature sig = signing.finish(response);
        require(Sm2Signer.verify(terminalShare.jointKey(), order, sig), "ordinary SM2 verification");
        return "one round trip; an ordinary SM2 verifier accepts the signature";
    }

    private String coDecrypt() {
        byte[] secret = "envelope key".getBytes(StandardCharsets.US_ASCII);
        Sm2Ciphertext ct = Sm2Cipher.encrypt(terminalShare.jointKey(), secret);
        DecryptRequest request = DecryptRequest.fromBytes(ClientDecryption.start(terminalShare, ct).toBytes());
        DecryptResponse response = DecryptResponse.fromBytes(TwoPartyServer.decrypt(serverShare, request).toBytes());
        require(Arrays.equals(secret, ClientDecryption.finish(ct, response)), "co-decryption round trip");
        terminalShare.destroy();
        serverShare.destroy();
        return "an ordinary SM2 ciphertext opened by the two shares together";
    }

    /** The closing report: every step with its time, then what the trader and the front said. */
    private void report(PrintWriter out, List<String> conversation) {
        out.printf("%nreport: what happened, step by step%n");
        out.printf("  %3s  %-6s %10s  %s%n", "#", "result", "took", "step");
        for (int i = 0; i < steps.size(); i++) {
            DemoStep s = steps.get(i);
            out.printf("  %3d  %-6s %10s  %s%s%n", i + 1, s.status() == DemoStep.Status.PASSED ? "ok" : "FAILED",
                    String.format("%.1f ms", s.took().toNanos() / 1e6), s.name(),
                    s.status() == DemoStep.Status.PASSED ? "" : "  <- " + s.detail());
        }
        if (!conversation.isEmpty()) {
            out.printf("  the trader and the trading front, over two-way TLCP through the gateway:%n");
            conversation.forEach(line -> out.printf("    %s%n", line));
        }
        Duration total = steps.stream().map(DemoStep::took).reduce(Duration.ZERO, Duration::plus);
        steps.stream().max(java.util.Comparator.comparing(DemoStep::took)).ifPresent(slowest ->
                out.printf("  total %.1f s; slowest step: %s (%.1f s)%n", total.toNanos() / 1e9, slowest.name(),
                        slowest.took().toNanos() / 1e9));
        out.flush();
    }

    void run(PrintWriter out, String name, Callable<String> body) {
        long start = System.nanoTime();
        DemoStep step;
        try {
            String detail = body.call();
            step = new DemoStep(name, DemoStep.Status.PASSED, Duration.ofNanos(System.nanoTime() - start), detail);
        } catch (Exception e) {
            step = new DemoStep(name, DemoStep.Status.FAILED, Duration.ofNanos(System.nanoTime() - start), e.getMessage());
        }
        record(out, step);
    }

    void record(PrintWriter out, DemoStep step) {
        steps.add(step);
        out.println(step.line());
        out.flush();
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    private static String hex(byte[] b) {
        return org.bouncycastle.util.encoders.Hex.toHexString(b);
    }

    private static byte[] unhex(String s) {
        return org.bouncycastle.util.encoders.Hex.decode(s);
    }
}
