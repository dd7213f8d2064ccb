package io.gmgate.tlcp.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One process of a native tool, started by a test and always ended by it: output goes to a log
 * file the test reads (and prints when an assertion fails), every wait has a deadline, and
 * {@link #close} destroys the process it started (and only that one).
 */
final class NativeRun implements AutoCloseable {

    /** What a finished run left behind. */
    record Result(int exit, String output) {
        Result requireSuccess(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " exited with " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private final Process process;
    private final Path log;
    private final String command;

    private NativeRun(Process process, Path log, String command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    static NativeRun start(List<String> command, Path dir, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            return new NativeRun(pb.start(), log, String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Runs a command to completion (or kills it at the deadline) and returns its exit code and output. */
    static Result run(List<String> command, Path dir, Duration limit) {
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        try (NativeRun r = start(command, dir, log)) {
            r.stdin().close();
            return new Result(r.awaitExit(limit), r.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    String describe() {
        return command + "\n--- output ---\n" + output();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end; kills it at the deadline and returns -1 then. */
    int awaitExit(Duration limit) {
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return -1;
    }

    /** Waits until the output contains marker, the process ends, or the deadline passes. */
    boolean awaitOutput(String marker, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (output().contains(marker)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(marker);
            }
            pause();
        }
        return false;
    }

    /**
     * Waits until something listens on 127.0.0.1:port (read from /proc/net/tcp, so the check
     * itself does not use up a server that accepts only once). Fails if the process ends first.
     */
    void awaitListening(int port, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        String needle = String.format(Locale.ROOT, ":%04X 00000000:0000 0A", port);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("server ended before listening on " + port + ": " + describe());
            }
            for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                try {
                    if (Files.readString(Path.of(table)).contains(needle)) {
                        return;
                    }
                } catch (IOException e) {
                    // no such table here: try the other one
                }
            }
            pause();
        }
        throw new AssertionError("server did not listen on " + port + " within " + limit + ": " + describe());
    }

    /** A port that was free a moment ago on 127.0.0.1, for a tool that cannot be told to use port 0. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
