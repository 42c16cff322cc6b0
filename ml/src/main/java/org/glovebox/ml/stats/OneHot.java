package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One-hot encoding before encryption, so that histograms and per-group statistics become sums: each bin or category
 * becomes a 0/1 column (NaN where the value is missing). The bin edges and category labels are public; the counts
 * per bin are the encrypted {@link Statistic#SUM} of the indicator columns, and per-group means come from
 * {@link CrossProducts#groupCountAndMean}.
 */
public final class OneHot {
    private OneHot() {
    }

    /** Named indicator columns. */
    public record Columns(List<String> names, List<double[]> columns) {
    }

    /**
     * Histogram bins [e_0, e_1), [e_1, e_2), …, [e_{k-1}, e_k] (the last bin closed); values outside all bins count
     * in no bin.
     */
    public static Columns bins(String name, double[] values, double[] edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException("need at least two edges");
        }
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("edges must increase");
            }
        }
        List<String> names = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (int k = 0; k + 1 < edges.length; k++) {
            boolean last = k + 2 == edges.length;
            names.add(String.format(Locale.ROOT, "%s[%s,%s%s", name, fmt(edges[k]), fmt(edges[k + 1]),
                    last ? "]" : ")"));
            double[] c = new double[values.length];
            for (int r = 0; r < values.length; r++) {
                double v = values[r];
                c[r] = Double.isNaN(v) ? Double.NaN
                        : v >= edges[k] && (v < edges[k + 1] || (last && v == edges[k + 1])) ? 1 : 0;
            }
            cols.add(c);
        }
        return new Columns(names, cols);
    }

    /** One indicator per category code in {@code categories} ("name=code"). */
    public static Columns categories(String name, double[] values, double[] categories) {
        List<String> names = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (double code : categories) {
            names.add(name + "=" + fmt(code));
            double[] c = new double[values.length];
            for (int r = 0; r < values.length; r++) {
                c[r] = Double.isNaN(values[r]) ? Double.NaN : values[r] == code ? 1 : 0;
            }
            cols.add(c);
        }
        return new Columns(names, cols);
    }

    /** Plaintext histogram counts (the twin of the encrypted sums of {@link #bins}). */
    public static long[] histogram(double[] values, double[] edges) {
        Columns c = bins("x", values, edges);
        long[] counts = new long[c.columns().size()];
        for (int k = 0; k < counts.length; k++) {
            for (double v : c.columns().get(k)) {
                counts[k] += v == 1 ? 1 : 0;
            }
        }
        return counts;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
