package io.gmgate.app.drills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a drill measured, for people: each step's time-to-recover and the ledger check, printed and
 * written to {@code target/drills/<drill>.md}; {@code target/drills.md} gathers every drill run so far.
 * Figures only, never a pass/fail bound: speed belongs to perf/, a drill asserts correctness.
 */
final class DrillReport {

    private final String drill;
    private final String title;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    DrillReport(String drill, String title) {
        this.drill = drill;
        this.title = title;
    }

    /** One step: what happened, and how long after the fault it was done (a drill-specific measure, named in {@code how}). */
    void recovered(String step, long millis, String how) {
        rows.add("| " + step + " | " + millis + " | – | " + how + " |");
        System.out.println("[drill " + drill + "] " + step + ": " + millis + " ms (" + how + ")");
    }

    /**
     * One step for one terminal: time from the fault to its first order acknowledged on the new
     * path, and its longest stretch without any acknowledged order since the fault.
     */
    void recovered(String step, Terminal t, long eventNanos, String path, String how) {
        long first = t.recoveredMillis(eventNanos, path);
        long gap = t.longestGapMillis(eventNanos);
        rows.add("| " + step + " (" + t.name + ") | " + first + " | " + gap + " | " + how + " |");
        System.out.println("[drill " + drill + "] " + step + " (" + t.name + "): first " + path + " order acknowledged after "
                + first + " ms, longest stretch without an acknowledgement " + gap + " ms (" + how + ")");
    }

    void note(String text) {
        notes.add(text);
        System.out.println("[drill " + drill + "] " + text);
    }

    /** Writes this drill's section and rebuilds the summary from every section present. */
    void write() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "drills"));
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        StringBuilder s = new StringBuilder("## " + drill + " — " + title + "\n\n_run " + Instant.now() + " on "
                + os.getAvailableProcessors() + " cores, load average " + String.format("%.1f", os.getSystemLoadAverage())
                + " at the end (figures stretch with the load)_\n\n"
                + "| step | to the new path (ms) | longest gap between acks (ms) | how |\n|---|---:|---:|---|\n");
        rows.forEach(r -> s.append(r).append('\n'));
        s.append('\n');
        notes.forEach(n -> s.append("- ").append(n).append('\n'));
        Files.writeString(dir.resolve(drill + ".md"), s.append('\n').toString());
        StringBuilder all = new StringBuilder("# Appendix C emergency drills\n\nTime to recover: from the fault (a process "
                + "killed, a card lost) to the terminal's first order acknowledged by the front on the new path, and the "
                + "longest stretch without any acknowledged order after the fault (a terminal may keep trading on a "
                + "connection it already had). Both include the drill's own SRE steps where the runbook needs one. Loopback, 2 shared cores: orders of magnitude, not SLOs.\n\n");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("C\\d\\.md")).sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        Files.writeString(Path.of("target", "drills.md"), all.toString());
    }
}
