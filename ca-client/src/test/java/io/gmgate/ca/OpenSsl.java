package io.gmgate.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line tool with a bounded wait; tests skip themselves when it is missing. */
public final class OpenSsl {

    public record Result(int exit, String output) {
    }

    private OpenSsl() {
    }

    public static Result run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-2, "cannot run openssl: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    /** True if this openssl knows SM2 (OpenSSL 3 or Tongsuo). */
    public static boolean hasSm2(Path dir) {
        Result r = run(dir, "list", "-public-key-algorithms");
        return r.exit() == 0 && r.output().contains("SM2");
    }

    public static boolean hasCmp(Path dir) {
        return run(dir, "cmp", "-help").output().contains("-srv_secret");
    }
}
