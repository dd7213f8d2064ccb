package io.gmgate.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The soak's leak verdict as a table: samples at each interval's end (the first is warm-up). */
class LeakCheckTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a steady heap after warm-up           | 300 100 104 98 103 101 99  | 8 | STEADY
            saw-tooth well within tolerance       | 50 100 110 100 112 101 111 | 8 | STEADY
            a heap climbing every interval        | 50 100 120 140 160 180 200 | 8 | GROWING
            growth smaller than the tolerance     | 50 100 101 102 103 104 105 | 8 | STEADY
            connections that never come back      | 8 8 9 8 12 15 19           | 2 | GROWING
            connections caught mid-reconnect      | 8 8 7 8 9 8 7              | 2 | STEADY
            one late spike is not a trend         | 8 8 8 8 8 8 30             | 2 | STEADY
            too few intervals to say              | 8 9 10 11                  | 2 | TOO_SHORT
            """)
    void judges(String name, String series, double tolerance, LeakCheck.Verdict expected) {
        List<Double> samples = java.util.Arrays.stream(series.trim().split("\\s+")).map(Double::valueOf).toList();
        assertEquals(expected, new LeakCheck("x", tolerance).judge(samples).verdict(), name);
    }
}
