package org.glovebox.federated.stats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.study.HistogramSpec;
import org.glovebox.federated.study.StudyDefinition;

/**
 * What each hospital contributes to release 0 and what the sum releases: the integer vector every hospital encrypts
 * (its own counts and fixed-point sums), which the coordinator sums under encryption and t hospitals open.
 *
 * <p>Layout: [n, Σx_1 … Σx_F, Σx_1² … Σx_F²] for every study (the standardization of training studies); a statistics
 * study appends [positives, then per histogram its bin counts and its bin counts among positive outcomes]. Sums are
 * fixed point with {@link AggregationScheme#FRACTION_BITS} fraction bits; all entries are exact integers, and their sum
 * over hospitals is exact too.
 */
public final class CohortStatistics {
    private final int features;
    private final List<String> names;
    private final boolean full;
    private final List<HistogramSpec> histograms;
    private final int[] histogramFeature;

    private CohortStatistics(List<String> names, boolean full, List<HistogramSpec> histograms) {
        this.features = names.size();
        this.names = List.copyOf(names);
        this.full = full;
        this.histograms = List.copyOf(histograms);
        this.histogramFeature = new int[histograms.size()];
        for (int h = 0; h < histograms.size(); h++) {
            int j = this.names.indexOf(histograms.get(h).feature());
            if (j < 0) {
                throw new IllegalArgumentException("the study asks for a histogram of '" + histograms.get(h).feature()
                        + "', which is not a feature of its cohort " + this.names);
            }
            histogramFeature[h] = j;
        }
    }

    /** The layout of a study (its cohort's features; statistics studies add outcomes and histograms). */
    public static CohortStatistics forStudy(StudyDefinition study) {
        List<String> names = new ArrayList<>();
        for (FeatureDefinition f : study.cohortDefinition().features()) {
            names.add(f.name());
        }
        return new CohortStatistics(names, study.statisticsOnly(), study.histograms());
    }

    /** Integers of the vector (see the class comment). */
    public int integers() {
        int n = 1 + 2 * features;
        if (full) {
            n += 1;
            for (HistogramSpec h : histograms) {
                n += 2 * h.bins();
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
                long[] counts = new long[spec.bins()];
                long[] pos = new long[spec.bins()];
                int j = histogramFeature[h];
                for (int i = 0; i < x.length; i++) {
                    int b = spec.bin(x[i][j]);
                    counts[b]++;
                    if (y[i] > 0.5) {
                        pos[b]++;
                    }
                }
                for (int b = 0; b < counts.length; b++) {
                    v[o + b] = BigInteger.valueOf(counts[b]);
                    v[o + counts.length + b] = BigInteger.valueOf(pos[b]);
                }
                o += 2 * counts.length;
            }
        }
        return v;
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
            double variance = 0;
            if (n >= 2) {
                // Σx = S/2^f and Σx² = Q/2^f, so n·Σx² − (Σx)² = (n·Q·2^f − S²) / 2^(2f), exactly
                BigInteger s = sum[1 + j];
                BigInteger q = sum[1 + features + j];
                BigInteger num = bn.multiply(q).shiftLeft(AggregationScheme.FRACTION_BITS).subtract(s.multiply(s));
                variance = Math.max(0, Math.scalb(num.doubleValue(), -2 * AggregationScheme.FRACTION_BITS)
                        / ((double) n * (n - 1)));
            }
            fs.add(new StudyStatistics.Feature(names.get(j), mean, variance));
        }
        int o = 1 + 2 * features;
        long positives = sum[o++].longValueExact();
        List<StudyStatistics.Histogram> hs = new ArrayList<>();
        for (HistogramSpec spec : histograms) {
            long[] counts = new long[spec.bins()];
            long[] pos = new long[spec.bins()];
            for (int b = 0; b < counts.length; b++) {
                counts[b] = sum[o + b].longValueExact();
                pos[b] = sum[o + counts.length + b].longValueExact();
            }
            o += 2 * counts.length;
            hs.add(new StudyStatistics.Histogram(spec.feature(), spec.edges(), counts, pos));
        }
        return new StudyStatistics(n, positives, fs, hs, hospitals);
    }
}
