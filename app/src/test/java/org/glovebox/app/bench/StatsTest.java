package org.glovebox.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesInterpolateBetweenOrderStatistics() {
        // 1..11 microseconds, shuffled.
        long[] ns = {5000, 1000, 11000, 3000, 2000, 9000, 4000, 7000, 6000, 10000, 8000};
        Stats s = Stats.ofNanos(ns);
        assertThat(s.reps()).isEqualTo(11);
        assertThat(s.medianUs()).isCloseTo(6.0, within(1e-9));
        assertThat(s.p10Us()).isCloseTo(2.0, within(1e-9));
        assertThat(s.p90Us()).isCloseTo(10.0, within(1e-9));
        assertThat(s.minUs()).isCloseTo(1.0, within(1e-9));
        assertThat(s.meanUs()).isCloseTo(6.0, within(1e-9));
    }

    @Test
    void evenCountMedianIsTheMidpoint() {
        Stats s = Stats.ofNanos(new long[] {4000, 1000, 3000, 2000});
        assertThat(s.medianUs()).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void measureHonoursFixedRepetitions() {
        MicroBenchmark.Config c = new MicroBenchmark.Config(1, 0, 1, 1000, 0).withReps(7);
        Stats s = MicroBenchmark.measure(() -> new long[64], c);
        assertThat(s.reps()).isEqualTo(7);
        assertThat(s.medianUs()).isPositive();
    }
}
