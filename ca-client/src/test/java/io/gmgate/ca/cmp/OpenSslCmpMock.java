package io.gmgate.ca.cmp;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gmgate.ports.ReservedPort;

/**
 * `openssl cmp -port P` as an independent CMP server (design §14). It binds every interface and takes
 * no port 0, so it gets a port reserved for this test JVM (below the kernel's ephemeral range, see
 * {@link ReservedPort}); the test talks to it on 127.0.0.1 only.
 */
final class OpenSslCmpMock implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(15);

    private final Process process;
    private final ReservedPort port;
    private final Path log;

    private OpenSslCmpMock(Process process, ReservedPort port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static OpenSslCmpMock start(Path dir, String... args) {
        ReservedPort port = ReservedPort.reserve();
        Path log = dir.resolve("mock-" + port.port() + ".log");
        List<String> cmd = new ArrayList<>(List.of("openssl", "cmp", "-port", Integer.toString(port.port())));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            OpenSslCmpMock mock = new OpenSslCmpMock(p, port, log);
            try {
                await("openssl cmp mock server on port " + port.port() + " accepts").atMost(READY)
                        .until(() -> !p.isAlive() || mock.log().contains("ACCEPT"));
            } catch (RuntimeException notReady) {
                mock.close();
                throw notReady;
            }
            if (!p.isAlive()) {
                mock.close();
                throw new IllegalStateException("openssl cmp mock server exited " + p.exitValue() + ": " + mock.log());
            }
            return mock;
        } catch (IOException e) {
            port.close();
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port.port();
    }

    String url() {
        return "http://127.0.0.1:" + port.port() + "/pkix/";
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
        } finally {
            port.close();
        }
    }
}
