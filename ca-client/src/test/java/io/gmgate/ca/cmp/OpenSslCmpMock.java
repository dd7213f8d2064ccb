package io.gmgate.ca.cmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * `openssl cmp -port P` as an independent CMP server (design §14). It binds every interface and takes
 * no port 0, so it gets a random high port and a new one if that is taken; the test talks to it on
 * 127.0.0.1 only.
 */
final class OpenSslCmpMock implements AutoCloseable {

    private static final int ATTEMPTS = 5;
    private static final long READY_MILLIS = 15_000;

    private final Process process;
    private final int port;
    private final Path log;

    private OpenSslCmpMock(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static OpenSslCmpMock start(Path dir, String... args) {
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            Path log = dir.resolve("mock-" + port + ".log");
            List<String> cmd = new ArrayList<>(List.of("openssl", "cmp", "-port", Integer.toString(port)));
            cmd.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
                while (System.nanoTime() < deadline && p.isAlive()) {
                    String out = Files.readString(log);
                    if (out.contains("ACCEPT")) {
                        return new OpenSslCmpMock(p, port, log);
                    }
                    Thread.sleep(50);
                }
                last = Files.readString(log);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("openssl cmp mock server did not start in " + ATTEMPTS + " attempts: " + last);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/pkix/";
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
