package org.glovebox.federated.stats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.study.HistogramSpec;
import org.glovebox.federated.study.StatisticsSpec;
import org.glovebox.federated.study.StudyDefinition;

/**
 * What each hospital contributes to release 0 and what the sum releases: the integer vector every hospital encrypts
 * (its own counts and fixed-point sums), which the coordinator sums under encryption and t hospitals open.
 *
 * <p>Layout: [n, Σx_1 … Σx_F, Σx_1² … Σx_F²] for every study (the standardization of training studies); a statistics
 * study appends [positives, then per histogram its bin counts and its bin counts among positive outcomes, then if
 * asked Σx_i·x_j for i &lt; j (row-major), then per cross table its cell counts (row-major) and its cell counts among
 * positive outcomes]. Sums are
 * fixed point with {@link AggregationScheme#FRACTION_BITS} fraction bits; all entries are exact integers, and their sum
 * over hospitals is exact too.
 */
public final class CohortStatistics {
    private final int features;
    private final List<String> names;
    private final boolean full;
    private final List<HistogramSpec> histograms;
    private final int[] histogramFeature;
    private final boolean covariance;
    private final List<StatisticsSpec.CrossTableSpec> crossTables;
    private final int[] tableRows;
    private final int[] tableColumns;

    private CohortStatistics(List<String> names, boolean full, StatisticsSpec spec) {
        this.features = names.size();
        this.names = List.copyOf(names);
        this.full = full;
        this.histograms = spec.histograms();
        this.histogramFeature = new int[histograms.size()];
        for (int h = 0; h < histograms.size(); h++) {
            histogramFeature[h] = featureIndex(histograms.get(h).feature(), "a histogram");
        }
        this.covariance = spec.covariance();
        this.crossTables = spec.crossTables();
        this.tableRows = new int[crossTables.size()];
        this.tableColumns = new int[crossTables.size()];
        for (int t = 0; t < crossTables.size(); t++) {
            tableRows[t] = featureIndex(crossTables.get(t).rows().feature(), "a cross table");
            tableColumns[t] = featureIndex(crossTables.get(t).columns().feature(), "a cross table");
        }
    }

    private int featureIndex(String feature, String what) {
        int j = names.indexOf(feature);
        if (j < 0) {
            throw new IllegalArgumentException("the study asks for " + what + " of '" + feature
                    + "', which is not a feature of its cohort " + names);
        }
        return j;
    }

    /** The layout of a study (its cohort's features; statistics studies add outcomes and histograms). */
    public static CohortStatistics forStudy(StudyDefinition study) {
        List<String> names = new ArrayList<>();
        for (FeatureDefinition f : study.cohortDefinition().features()) {
            names.add(f.name());
        }
        return new CohortStatistics(names, study.statisticsOnly(), study.statistics());
    }

    /** Integers of the vector (see the class comment). */
    public int integers() {
        int n = 1 + 2 * features;
        if (full) {
            n += 1;
            for (HistogramSpec h : histograms) {
                n += 2 * h.bins();
            }
            n += covariance ? features * (features - 1) / 2 : 0;
            for (StatisticsSpec.CrossTableSpec t : crossTables) {
                n += 2 * t.cells();
            }
        }
        return n;
    }

    /** Whether the vector carries outcomes and histograms (a statistics study). */
    public boolean full() {
        return full;
    }

    /**
     * One hospital's vector over its patients {@code x} (rows of {@code features} values) with outcomes {@code y}
     * (1 positive, 0 negative; only read for a statistics study).
     */
    public BigInteger[] local(double[][] x, double[] y) {
        BigInteger[] v = new BigInteger[integers()];
        v[0] = BigInteger.valueOf(x.length);
        for (int j = 0; j < features; j++) {
            double s = 0;
            double sq = 0;
            for (double[] row : x) {
                s += row[j];
                sq += row[j] * row[j];
            }
            v[1 + j] = AggregationScheme.fixedPoint(s);
            v[1 + features + j] = AggregationScheme.fixedPoint(sq);
        }
        if (full) {
            if (y.length != x.length) {
                throw new IllegalArgumentException(x.length + " patients but " + y.length + " outcomes");
            }
            long positives = 0;
            for (double label : y) {
                positives += label > 0.5 ? 1 : 0;
            }
            int o = 1 + 2 * features;
            v[o++] = BigInteger.valueOf(positives);
            for (int h = 0; h < histograms.size(); h++) {
                HistogramSpec spec = histograms.get(h);
                int j = histogramFeature[h];
                o = putCounts(v, o, spec.bins(), y, i -> spec.bin(x[i][j]));
            }
            if (covariance) {
                for (int a = 0; a < features; a++) {
                    for (int b = a + 1; b < features; b++) {
                        double s = 0;
                        for (double[] row : x) {
                            s += row[a] * row[b];
                        }
                        v[o++] = AggregationScheme.fixedPoint(s);
                    }
                }
            }
            for (int t = 0; t < crossTables.size(); t++) {
                StatisticsSpec.CrossTableSpec spec = crossTables.get(t);
                int cols = spec.columns().bins();
                int r = tableRows[t];
                int c = tableColumns[t];
                o = putCounts(v, o, spec.cells(), y,
                        i -> spec.rows().bin(x[i][r]) * cols + spec.columns().bin(x[i][c]));
            }
        }
        return v;
    }

    /**
     * Counts the patients per cell ({@code cellOf} maps patient i to its cell) overall and among positive outcomes,
     * and writes both count vectors at {@code o}; returns the offset after them.
     */
    private static int putCounts(BigInteger[] v, int o, int cells, double[] y, IntUnaryOperator cellOf) {
        long[] counts = new long[cells];
        long[] pos = new long[cells];
        for (int i = 0; i < y.length; i++) {
            int cell = cellOf.applyAsInt(i);
            counts[cell]++;
            if (y[i] > 0.5) {
                pos[cell]++;
            }
        }
        for (int k = 0; k < cells; k++) {
            v[o + k] = BigInteger.valueOf(counts[k]);
            v[o + cells + k] = BigInteger.valueOf(pos[k]);
        }
        return o + 2 * cells;
    }

    /**
     * The standardization of a training study from the summed vector: [n, means…, standard deviations…], a
     * standard deviation below 1e-9 replaced by 1 (a constant feature stays constant).
     */
    public double[] standardization(BigInteger[] sum) {
        double n = sum[0].doubleValue();
        double[] std = new double[1 + 2 * features];
        std[0] = n;
        for (int j = 0; j < features; j++) {
            double mean = AggregationScheme.fromFixedPoint(sum[1 + j]) / n;
            double sq = AggregationScheme.fromFixedPoint(sum[1 + features + j]) / n;
            double sd = Math.sqrt(Math.max(sq - mean * mean, 0));
            std[1 + j] = mean;
            std[1 + features + j] = sd > 1e-9 ? sd : 1;
        }
        return std;
    }

    /**
     * The released statistics of a statistics study from the summed vector. Variances are computed from the exact
     * integer sums (n·Σx² − (Σx)² in integers), so a large mean does not cancel the variance away.
     *
     * @throws IllegalArgumentException if the vector is not consistent (negative or impossible counts): a sign that
     *                                  the decryption failed
     */
    public StudyStatistics release(BigInteger[] sum, List<String> hospitals) {
        if (!full) {
            throw new IllegalStateException("a training study releases its standardization only");
        }
        if (sum.length != integers()) {
            throw new IllegalArgumentException("expected " + integers() + " integers, got " + sum.length);
        }
        long n = sum[0].longValueExact();
        List<StudyStatistics.Feature> fs = new ArrayList<>(features);
        BigInteger bn = BigInteger.valueOf(n);
        for (int j = 0; j < features; j++) {
            double mean = n == 0 ? Double.NaN : AggregationScheme.fromFixedPoint(sum[1 + j]) / n;
            double variance = Math.max(0, exactCovariance(bn, sum[1 + j], sum[1 + j], sum[1 + features + j]));
            fs.add(new StudyStatistics.Feature(names.get(j), mean, variance));
        }
        int o = 1 + 2 * features;
        long positives = sum[o++].longValueExact();
        List<StudyStatistics.Histogram> hs = new ArrayList<>();
        for (HistogramSpec spec : histograms) {
            long[][] c = counts(sum, o, spec.bins());
            o += 2 * spec.bins();
            hs.add(new StudyStatistics.Histogram(spec.feature(), spec.edges(), c[0], c[1]));
        }
        double[][] cov = null;
        if (covariance) {
            cov = new double[features][features];
            for (int a = 0; a < features; a++) {
                cov[a][a] = fs.get(a).variance();
                for (int b = a + 1; b < features; b++) {
                    cov[a][b] = cov[b][a] = exactCovariance(bn, sum[1 + a], sum[1 + b], sum[o++]);
                }
            }
        }
        List<StudyStatistics.CrossTable> ts = new ArrayList<>();
        for (StatisticsSpec.CrossTableSpec spec : crossTables) {
            long[][] c = counts(sum, o, spec.cells());
            o += 2 * spec.cells();
            ts.add(new StudyStatistics.CrossTable(spec.rows().feature(), spec.rows().edges(),
                    spec.columns().feature(), spec.columns().edges(), c[0], c[1]));
        }
        return new StudyStatistics(n, positives, fs, hs, cov, ts, hospitals);
    }

    /** The cell counts and the positive counts written by {@link #putCounts} at offset o. */
    private static long[][] counts(BigInteger[] sum, int o, int cells) {
        long[][] c = new long[2][cells];
        for (int k = 0; k < cells; k++) {
            c[0][k] = sum[o + k].longValueExact();
            c[1][k] = sum[o + cells + k].longValueExact();
        }
        return c;
    }

    /**
     * Sample covariance from exact fixed-point sums (0 for fewer than 2 patients): Σa = A/2^f, Σb = B/2^f,
     * Σab = P/2^f, so n·Σab − Σa·Σb = (n·P·2^f − A·B) / 2^(2f), divided by n(n − 1); with a = b, the variance
     * (which each hospital's rounding of its sums can leave a hair below 0 for a constant feature: callers clamp).
     */
    private static double exactCovariance(BigInteger n, BigInteger a, BigInteger b, BigInteger p) {
        if (n.compareTo(BigInteger.TWO) < 0) {
            return 0;
        }
        BigInteger num = n.multiply(p).shiftLeft(AggregationScheme.FRACTION_BITS).subtract(a.multiply(b));
        double nn = n.doubleValue();
        return Math.scalb(num.doubleValue(), -2 * AggregationScheme.FRACTION_BITS) / (nn * (nn - 1));
    }
}
