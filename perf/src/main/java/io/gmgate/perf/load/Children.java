package io.gmgate.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of a load run (gateway nodes, fronts, client shards), started from this process's
 * own class path. Each child runs until its standard input closes; {@link #close()} closes them all,
 * then kills whatever has not exited within a few seconds, so no run leaves a process behind.
 */
public final class Children implements AutoCloseable {

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    public Children(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code mainClass} with {@code jvmOptions}; its output goes to {@code DIR/NAME.log}. */
    public Process start(String name, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits (bounded) for the child to write {@code DIR/NAME.port}. */
    public int port(String name, Process p, int seconds) throws Exception {
        Path f = dir.resolve(name + ".port");
        for (int i = 0; i < seconds * 10; i++) {
            if (Files.exists(f)) {
                return Integer.parseInt(Files.readString(f).trim());
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not start; its log:\n" + Files.readString(dir.resolve(name + ".log")));
    }

    /** CPU time (user + system) a live child has used so far, in seconds, from /proc. */
    public static double cpuSeconds(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14 and 15; USER_HZ is 100 on Linux
    }

    /**
     * CPU seconds (user + system) per thread group of a live child — thread names with digits
     * dropped, e.g. "vert.x-worker-thread-" or "C2 CompilerThread" — from /proc/PID/task: a
     * profile that, unlike JFR's method samples, also counts GC, the JIT and the kernel.
     */
    public static java.util.Map<String, Double> cpuByThreadGroup(Process p) throws IOException {
        return byThreadGroup(p, false);
    }

    /** As {@link #cpuByThreadGroup}, kernel time (system CPU) alone. */
    public static java.util.Map<String, Double> systemByThreadGroup(Process p) throws IOException {
        return byThreadGroup(p, true);
    }

    private static java.util.Map<String, Double> byThreadGroup(Process p, boolean kernelOnly) throws IOException {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = (kernelOnly ? 0 : Long.parseLong(f[11])) + Long.parseLong(f[12]);
                    out.merge(name, ticks / 100.0, Double::sum);
                } catch (IOException threadEnded) {
                    // gone between listing and reading
                }
            }
        }
        return out;
    }

    /** Kernel-mode share: system CPU seconds of a live child (field 15 alone). */
    static double systemSeconds(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[12]) / 100.0;
    }

    /** Resident set size of a live child, in bytes, from /proc. */
    static long rssBytes(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        for (Process p : started) {
            try {
                p.getOutputStream().close();
            } catch (IOException alreadyGone) {
                // exited already
            }
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
