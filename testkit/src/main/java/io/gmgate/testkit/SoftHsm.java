package io.gmgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * A real SoftHSM2 (Debian's softhsm2 package, installed by .ci/install-softhsm.sh) with fresh tokens
 * in a test class's own temp directory.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} at the process's first C_Initialize and never sees a token
 * made after it, and a JVM cannot change its own environment. So surefire gives every test class its
 * own JVM with SOFTHSM2_CONF naming one file, and {@link #start} rewrites that file to point at the
 * class's temp directory; all of a class's tokens are made before its first card opens.
 */
public final class SoftHsm {

    public static final String REQUIRE_ENV = "GMGATE_REQUIRE_SOFTHSM";
    public static final String USER_PIN = "user-pin-1234";
    private static final String SO_PIN = "so-pin-5678";
    private static final List<String> LIBRARY_CANDIDATES = List.of(
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib64/softhsm/libsofthsm2.so",
            "/usr/lib64/pkcs11/libsofthsm2.so",
            "/usr/local/lib/softhsm/libsofthsm2.so");
    private static final Pattern SLOT = Pattern.compile("reassigned to slot ([0-9]+)");
    private static Path startedIn;

    private final Path conf;
    private final Path library;

    private SoftHsm(Path conf, Path library) {
        this.conf = conf;
        this.library = library;
    }

    static final String MISSING = "SoftHSM2 is not installed (no softhsm2-util or libsofthsm2.so): run .ci/install-softhsm.sh";

    /**
     * Starts SoftHSM2 for this test class, or returns null when it is absent — unless
     * GMGATE_REQUIRE_SOFTHSM is set: then a missing SoftHSM2 fails the class. Tests call
     * {@link #assumeInstalled} first, so each shows as skipped with the reason.
     */
    public static synchronized SoftHsm startIfInstalled(Path dir) throws IOException {
        Path library = LIBRARY_CANDIDATES.stream().map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
        String override = System.getenv("GMGATE_SOFTHSM_LIBRARY");
        if (override != null && !override.isBlank()) {
            library = Files.isRegularFile(Path.of(override)) ? Path.of(override) : null;
        }
        if (library == null || !onPath("softhsm2-util")) {
            if (System.getenv(REQUIRE_ENV) != null) {
                fail(MISSING + " — " + REQUIRE_ENV + " is set, so the PKCS#11 tests may not be skipped");
            }
            return null;
        }
        String confEnv = System.getenv("SOFTHSM2_CONF");
        if (confEnv == null || confEnv.isBlank()) {
            fail("SOFTHSM2_CONF is not set: run these tests through Maven (the module's surefire configuration sets it)");
        }
        if (startedIn != null) {
            fail("SoftHSM2 was already started in this JVM for " + startedIn + ": it reads SOFTHSM2_CONF once per process,"
                    + " so each SoftHSM test class needs its own JVM (surefire reuseForks=false)");
        }
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = Path.of(confEnv);
        Files.createDirectories(conf.toAbsolutePath().getParent());
        Files.writeString(conf, "directories.tokendir = " + tokens.toAbsolutePath() + "\n"
                + "objectstore.backend = file\n"
                + "log.level = ERROR\n"
                + "slots.removable = false\n", StandardCharsets.UTF_8);
        startedIn = dir;
        return new SoftHsm(conf, library);
    }

    /** Skips the calling test, with the reason, when {@link #startIfInstalled} found no SoftHSM2. */
    public static void assumeInstalled(SoftHsm hsm) {
        Assumptions.assumeTrue(hsm != null, MISSING + "; skipped (set " + REQUIRE_ENV + " to make this a failure)");
    }

    public Path library() {
        return library;
    }

    /** softhsm2-util --init-token: a fresh token with {@link #USER_PIN}; returns its slot id. */
    public long initToken(String label) throws IOException, InterruptedException {
        String out = run("--init-token", "--free", "--label", label, "--pin", USER_PIN, "--so-pin", SO_PIN);
        Matcher m = SLOT.matcher(out);
        if (!m.find()) {
            fail("softhsm2-util did not report the new token's slot: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** softhsm2-util --delete-token: the token's files vanish under a running card. */
    public void deleteToken(String label) throws IOException, InterruptedException {
        run("--delete-token", "--token", label);
    }

    private String run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "softhsm2-util";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("softhsm2-util " + args[0] + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("softhsm2-util " + String.join(" ", args).replace(USER_PIN, "***").replace(SO_PIN, "***")
                    + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
