package io.gmgate.perf.load;

import java.util.List;

/**
 * Whether a quantity sampled at the end of each soak interval keeps growing. The first interval is
 * warm-up (class loading, pools filling) and left out; of the rest, every sample of the later half
 * must lie above every sample of the earlier half by more than {@code tolerance} — a steady climb,
 * not the saw-tooth of a busy heap or of terminals caught mid-reconnect.
 */
record LeakCheck(String quantity, double tolerance) {

    /** Fewer judged intervals than this say nothing either way. */
    static final int MIN_INTERVALS = 4;

    enum Verdict { STEADY, GROWING, TOO_SHORT }

    record Finding(String quantity, Verdict verdict, double first, double last) {
        @Override
        public String toString() {
            return switch (verdict) {
                case STEADY -> quantity + " steady (" + fmt(first) + " → " + fmt(last) + ")";
                case GROWING -> "LEAK? " + quantity + " grew in every later interval (" + fmt(first) + " → " + fmt(last) + ")";
                case TOO_SHORT -> quantity + ": too few intervals to judge (need " + (MIN_INTERVALS + 1) + ")";
            };
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.1f", v);
        }
    }

    Finding judge(List<Double> perInterval) {
        if (perInterval.size() < MIN_INTERVALS + 1) {
            return new Finding(quantity, Verdict.TOO_SHORT, Double.NaN, Double.NaN);
        }
        List<Double> judged = perInterval.subList(1, perInterval.size());
        int half = judged.size() / 2;
        double earlierMax = judged.subList(0, half).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double laterMin = judged.subList(judged.size() - half, judged.size()).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        Verdict v = laterMin > earlierMax + tolerance ? Verdict.GROWING : Verdict.STEADY;
        return new Finding(quantity, v, judged.get(0), judged.get(judged.size() - 1));
    }
}
