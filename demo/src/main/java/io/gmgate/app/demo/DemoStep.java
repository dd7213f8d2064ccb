package io.gmgate.app.demo;

import java.time.Duration;

/** One line of the demo report. */
record DemoStep(String name, Status status, Duration took, String detail) {

    enum Status { PASSED, FAILED }

    String line() {
        String time = String.format("%8.1f ms  ", took.toNanos() / 1e6);
        return String.format("  %-7s %s%-50s %s", status, time, name, detail);
    }
}
