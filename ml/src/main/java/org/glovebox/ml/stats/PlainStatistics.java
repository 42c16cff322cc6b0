package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;

/** The plaintext twin of the encrypted statistics: the same aggregates computed on the clear columns. */
public final class PlainStatistics {
    private PlainStatistics() {
    }

    /** Count, sum, mean and sample variance of every column, ignoring NaN (missing) values. */
    public static List<ColumnStatistics> compute(List<String> names, List<double[]> columns) {
        List<ColumnStatistics> out = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            long n = 0;
            double sum = 0;
            for (double v : columns.get(c)) {
                if (!Double.isNaN(v)) {
                    n++;
                    sum += v;
                }
            }
            double mean = n > 0 ? sum / n : Double.NaN;
            double ss = 0;
            for (double v : columns.get(c)) {
                if (!Double.isNaN(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            out.add(new ColumnStatistics(names.get(c), n, sum, mean, n > 1 ? ss / (n - 1) : Double.NaN));
        }
        return out;
    }
}
