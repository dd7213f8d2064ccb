package io.gmgate.perf.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU, memory and file descriptors of this process (the load generator and the site it drives share
 * one JVM, so these are the pair's). RSS and descriptors come from /proc and read -1 elsewhere.
 */
record ProcessProbe(long cpuNanos, long heapUsedBytes, long rssBytes, long openFiles) {

    /** Now; with {@code afterGc} the heap is measured after a full collection, so growth means retention. */
    static ProcessProbe now(boolean afterGc) {
        if (afterGc) {
            System.gc();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new ProcessProbe(os.getProcessCpuTime(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                rss(), countOpenFiles());
    }

    /** Cores busy on average between {@code earlier} and this probe, {@code nanos} apart. */
    double coresSince(ProcessProbe earlier, long nanos) {
        return (cpuNanos - earlier.cpuNanos) / (double) nanos;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : (bytes >> 20) + " MiB";
    }

    private static long rss() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long countOpenFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
