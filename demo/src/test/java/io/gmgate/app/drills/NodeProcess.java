package io.gmgate.app.drills;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code gmgate} command ({@code serve}, {@code cosign serve}), or a CA's CMP server, in its own JVM, so a drill can
 * really kill it: {@link #kill()} is SIGKILL (no shutdown hook, no cluster leave, sockets reset by
 * the kernel). Output goes to a log file the drill reads for the ready line and shows on failure.
 */
final class NodeProcess implements AutoCloseable {

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true");

    final String name;
    private final String mainClass;
    private final Map<String, String> env;
    private final List<String> args;
    private final Path log;
    private final Pattern ready;
    private Process process;
    private String readyLine;

    /** {@code gmgate ARGS…} in a child JVM. */
    static NodeProcess gmgate(String name, Path logDir, Pattern ready, Map<String, String> env, String... args) {
        return new NodeProcess(name, logDir, ready, env, "io.gmgate.app.Gmgate", List.of(args));
    }

    /** Another main class of the test classpath (a CA vendor's server, say), with extra environment variables. */
    NodeProcess(String name, Path logDir, Pattern ready, Map<String, String> env, String mainClass, List<String> args) {
        this.name = name;
        this.mainClass = mainClass;
        this.env = Map.copyOf(env);
        this.args = List.copyOf(args);
        this.ready = ready;
        this.log = logDir.resolve(name + ".log");
    }

    /** Starts the JVM; {@link #awaitReady} waits for its ready line. */
    NodeProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.writeString(log, "");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        Process started = process;
        // a safety net if the test JVM itself is stopped (surefire timeout, Ctrl-C): no orphaned nodes
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "drill-kill-" + name));
        readyLine = null;
        return this;
    }

    /** Waits (bounded) for the ready line; fails with the log's tail if the process dies or stays silent. */
    Matcher awaitReady(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    readyLine = line;
                    return m;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not ready within " + within + ":\n" + tail());
    }

    String readyLine() {
        return readyLine;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait until the kernel has reaped it (its ports are closed once this returns). */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
