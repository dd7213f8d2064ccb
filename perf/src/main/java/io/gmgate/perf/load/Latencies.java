package io.gmgate.perf.load;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Round-trip latencies from many threads into one HdrHistogram recorder: constant memory however
 * long a soak runs (a list of samples would itself look like a heap leak), and interval snapshots
 * that do not stop the writers.
 */
final class Latencies {

    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(2);

    private final Recorder recorder = new Recorder(HIGHEST, 3);
    private final Histogram total = new Histogram(HIGHEST, 3);

    void record(long nanos) {
        recorder.recordValue(Math.min(nanos, HIGHEST));
    }

    /** What was recorded since the last call; also added to {@link #total()}. */
    synchronized Summary interval() {
        Histogram h = recorder.getIntervalHistogram();
        total.add(h);
        return Summary.of(h);
    }

    synchronized Summary total() {
        return Summary.of(total);
    }

    /** Count and percentiles in milliseconds. */
    record Summary(long count, double p50, double p99, double p999, double max) {
        static Summary of(Histogram h) {
            return new Summary(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }
}
