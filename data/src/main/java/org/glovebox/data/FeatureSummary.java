package org.glovebox.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aggregate description of one column of a {@link FeatureMatrix}: count, mean, standard deviation, minimum,
 * quartiles and maximum. Aggregates of a whole column, meant for the hospital's own inspection of its data.
 */
public record FeatureSummary(String name, String unit, int count, double mean, double sd, double min, double q25,
        double median, double q75, double max) {

    /** One summary per column, in column order. */
    public static List<FeatureSummary> of(FeatureMatrix matrix) {
        List<FeatureSummary> out = new ArrayList<>(matrix.columnCount());
        for (int c = 0; c < matrix.columnCount(); c++) {
            double[] v = matrix.column(c);
            FeatureColumn col = matrix.columns().get(c);
            if (v.length == 0) {
                out.add(new FeatureSummary(col.name(), col.unit(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            Arrays.sort(v);
            double sum = 0;
            for (double x : v) {
                sum += x;
            }
            double mean = sum / v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
            out.add(new FeatureSummary(col.name(), col.unit(), v.length, mean, sd, v[0], quantile(v, 0.25),
                    quantile(v, 0.5), quantile(v, 0.75), v[v.length - 1]));
        }
        return out;
    }

    /** Linear interpolation between order statistics (type 7, as R and NumPy default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
