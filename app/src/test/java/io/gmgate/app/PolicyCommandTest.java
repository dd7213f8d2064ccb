package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import picocli.CommandLine;

/** The firm signs a BYPASS policy with its card-held key; a terminal's verifier accepts it. */
class PolicyCommandTest {

    @TempDir
    Path dir;

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    /** As from a shell: picocli's own buffered stdout, which nobody flushes for a command that ends in print(). */
    @Test
    void policyKeyPrintsThePublicKeyToABufferedStdout() throws Exception {
        Path card = dir.resolve("card-stdout.gmc");
        Path pass = Files.writeString(dir.resolve("pass-stdout"), "operator passphrase 2\n");
        SoftCipherCard.init(card, "operator passphrase 2".toCharArray()).close();
        Path yaml = Files.writeString(dir.resolve("stdout.yaml"),
                "card: {type: soft, path: '" + card + "', passphraseFile: '" + pass + "'}\n");
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(stdout, java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(0, Gmgate.execute(cli, "policy", "key", "--config", yaml.toString()));
        String printed = stdout.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("-----BEGIN PUBLIC KEY-----"), printed);
        GmPem.publicKeyFromPem(printed);
    }

    @Test
    void aSignedBypassPolicyIsAcceptedByTerminals() throws Exception {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 1\n");
        SoftCipherCard.init(card, "operator passphrase 1".toCharArray()).close();
        Path yaml = Files.writeString(dir.resolve("gmgate.yaml"),
                "card: {type: soft, path: '" + card + "', passphraseFile: '" + pass + "'}\n");
        StringWriter key = new StringWriter();
        assertEquals(0, run(key, "policy", "key", "--config", yaml.toString()), key.toString());
        StringWriter sign = new StringWriter();
        Path out = dir.resolve("policy.bin");
        assertEquals(0, run(sign, "policy", "sign", "--config", yaml.toString(), "--serial", "7", "--mode", "BYPASS",
                "--valid", "2h", "--enrolment", "sh=gw1.example.cn:8090", "--trading", "sh=gw1.example.cn:9000",
                "--emergency", "sh=front.example.cn:41205", "--rollout-share", "30", "--rollout-account", "8001234",
                "--out", out.toString()), sign.toString());

        AccessPolicyVerifier terminal = new AccessPolicyVerifier(GmPem.publicKeyFromPem(key.toString()), Clock.systemUTC(),
                Duration.ofMinutes(5), Optional.empty());
        AccessPolicy p = terminal.accept(Files.readAllBytes(out));
        assertEquals(AccessPolicy.Mode.BYPASS, p.mode());
        assertEquals(41205, p.emergency().get(0).port());
        assertTrue(sign.toString().contains("policy #7 (BYPASS"), sign.toString());
        assertEquals(30, p.rollout().sharePercent());
        assertTrue(p.rollout().requiresGm("8001234"));

        StringWriter bad = new StringWriter();
        assertEquals(2, run(bad, "policy", "sign", "--config", yaml.toString(), "--serial", "8", "--enrolment", "gw:8090",
                "--trading", "gw:9000", "--rollout-share", "130", "--out", dir.resolve("bad.bin").toString()), bad.toString());
        assertTrue(bad.toString().contains("0..100"), bad.toString());
    }

    @Test
    void aDowngradeIsShortLivedByDefaultAndALongOneNeedsForce() throws Exception {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 2\n");
        SoftCipherCard.init(card, "operator passphrase 2".toCharArray()).close();
        Path yaml = Files.writeString(dir.resolve("gmgate.yaml"),
                "card: {type: soft, path: '" + card + "', passphraseFile: '" + pass + "'}\n");
        StringWriter key = new StringWriter();
        assertEquals(0, run(key, "policy", "key", "--config", yaml.toString()), key.toString());
        AccessPolicyVerifier terminal = new AccessPolicyVerifier(GmPem.publicKeyFromPem(key.toString()), Clock.systemUTC(),
                Duration.ofMinutes(5), Optional.empty());
        String[] endpoints = {"--enrolment", "gw:8090", "--trading", "gw:9000", "--emergency", "gw:9001"};

        java.util.function.BiFunction<Long, String[], AccessPolicy> sign = (serial, extra) -> {
            Path out = dir.resolve("p" + serial + ".bin");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("policy", "sign", "--config", yaml.toString(),
                    "--serial", String.valueOf(serial), "--out", out.toString()));
            args.addAll(java.util.List.of(endpoints));
            args.addAll(java.util.List.of(extra));
            StringWriter w = new StringWriter();
            assertEquals(0, run(w, args.toArray(String[]::new)), w.toString());
            try {
                return terminal.accept(Files.readAllBytes(out));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
        AccessPolicy bypass = sign.apply(1L, new String[] {"--mode", "BYPASS"});
        assertEquals(Duration.ofHours(2), Duration.between(bypass.issuedAt(), bypass.notAfter()), "a downgrade: 2 h");
        AccessPolicy normal = sign.apply(2L, new String[0]);
        assertEquals(Duration.ofHours(24), Duration.between(normal.issuedAt(), normal.notAfter()), "NORMAL: 24 h");

        StringWriter tooLong = new StringWriter();
        assertEquals(2, run(tooLong, "policy", "sign", "--config", yaml.toString(), "--serial", "3", "--mode", "ONE_WAY",
                "--valid", "12h", "--out", dir.resolve("p3.bin").toString(), "--enrolment", "gw:8090", "--trading", "gw:9000"),
                tooLong.toString());
        assertTrue(tooLong.toString().contains("MODE-310"), tooLong.toString());
        assertTrue(Files.notExists(dir.resolve("p3.bin")));
        AccessPolicy forced = sign.apply(4L, new String[] {"--mode", "ONE_WAY", "--valid", "12h", "--force"});
        assertEquals(Duration.ofHours(12), Duration.between(forced.issuedAt(), forced.notAfter()));

        // the limits are configuration: a firm may choose a 1 h downgrade and a 4 h ceiling
        Files.writeString(yaml, Files.readString(yaml) + "policy: {weakerValidity: 1h, weakerMaxValidity: 4h}\n");
        AccessPolicy configured = sign.apply(5L, new String[] {"--mode", "BYPASS"});
        assertEquals(Duration.ofHours(1), Duration.between(configured.issuedAt(), configured.notAfter()));
    }
}
