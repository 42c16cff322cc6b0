package org.glovebox.app.bench;

import java.util.Arrays;

/**
 * Summary of repeated timings of one operation, in microseconds: median, 10th and 90th percentiles, minimum and
 * mean. Percentiles interpolate linearly between order statistics.
 */
public record Stats(int reps, double medianUs, double p10Us, double p90Us, double minUs, double meanUs) {

    /** Summarises raw timings given in nanoseconds (at least one). */
    public static Stats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no timings");
        }
        double[] us = new double[nanos.length];
        double sum = 0;
        for (int i = 0; i < nanos.length; i++) {
            us[i] = nanos[i] / 1e3;
            sum += us[i];
        }
        Arrays.sort(us);
        return new Stats(us.length, percentile(us, 0.5), percentile(us, 0.1), percentile(us, 0.9), us[0],
                sum / us.length);
    }

    /** The q-quantile (0 &lt;= q &lt;= 1) of sorted values, interpolating linearly. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }
}
