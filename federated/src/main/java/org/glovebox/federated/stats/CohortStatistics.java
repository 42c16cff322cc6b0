package org.glovebox.federated.stats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * positive outcomes]. Sums are fixed point with {@link AggregationScheme#FRACTION_BITS} fraction bits; counts are
 * plain integers, so every entry and its sum over hospitals is exact.
 *
 * <p>With differential privacy (a statistics study with {@code privacy.enabled}) every entry is fixed point, values
 * are clipped to the study's bounds first, and each hospital adds its share of the Gaussian noise of {@link
 * StatisticsPrivacy}; the release is post-processed (counts rounded and clamped, means clamped to their bounds).
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
    private final StatisticsPrivacy privacy; // null: exact
    private final StatisticsSpec.Bounds[] bounds; // per feature, with privacy only

    private CohortStatistics(List<String> names, boolean full, StatisticsSpec spec, StudyDefinition.Privacy p,
            int hospitals) {
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
        for (String f : spec.bounds().keySet()) {
            featureIndex(f, "bounds");
        }
        if (integers() > MAX_INTEGERS) {
            throw new IllegalArgumentException("the study would release " + integers() + " integers; at most "
                    + MAX_INTEGERS + " (fewer bins, cross tables or covariance features)");
        }
        if (full && p.enabled()) {
            this.bounds = new StatisticsSpec.Bounds[features];
            for (int j = 0; j < features; j++) {
                bounds[j] = spec.bounds().get(this.names.get(j));
                if (bounds[j] == null) {
                    throw new IllegalArgumentException("a private statistics study needs statistics.bounds for every"
                            + " feature; '" + this.names.get(j) + "' has none");
                }
            }
            int h = histograms.size();
            int t = crossTables.size();
            double sensitivity = Math.sqrt(2 + 2.0 * features + 2.0 * h + 2.0 * t
                    + (covariance ? features * (features - 1) / 2.0 : 0));
            this.privacy = new StatisticsPrivacy(p.epsilonBudget(), p.delta(), sensitivity, sensitivityScales(),
                    hospitals);
        } else {
            this.bounds = null;
            this.privacy = null;
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

    /**
     * At most this many integers in one release: its JSON (at most 48 bytes an integer, plus names) then fits the
     * one 4 MiB frame a hospital fetches it in.
     */
    public static final int MAX_INTEGERS = 65_536;

    /** The size a released {@link StudyStatistics} of this layout can reach as JSON (a bound for readers). */
    public int maxJsonBytes() {
        int names = 0;
        for (String n : this.names) {
            names += n.length() * 6; // a name appears in the features and at most in tables; escaped, UTF-8
        }
        return 65_536 + 48 * integers() + 16 * names;
    }

    /**
     * Checks that a release someone else produced is this study's: the features in order, the histograms and cross
     * tables with their edges, the covariance matrix if and only if the study asks for it, privacy if and only if it
     * is enabled (with the study's ε and δ), and participants among the enrolled hospitals.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void checkShape(StudyStatistics s, List<String> enrolled) {
        List<String> got = s.features().stream().map(StudyStatistics.Feature::name).toList();
        require(got.equals(names), "features " + got + ", expected " + names);
        require(s.histograms().size() == histograms.size(), s.histograms().size() + " histograms, expected "
                + histograms.size());
        for (int h = 0; h < histograms.size(); h++) {
            StudyStatistics.Histogram g = s.histograms().get(h);
            HistogramSpec e = histograms.get(h);
            require(g.feature().equals(e.feature()) && java.util.Arrays.equals(g.edges(), e.edges()),
                    "histogram " + h + " is of " + g.feature() + ", expected " + e);
        }
        require(s.crossTables().size() == crossTables.size(), s.crossTables().size() + " cross tables, expected "
                + crossTables.size());
        for (int t = 0; t < crossTables.size(); t++) {
            StudyStatistics.CrossTable g = s.crossTables().get(t);
            StatisticsSpec.CrossTableSpec e = crossTables.get(t);
            require(g.rowFeature().equals(e.rows().feature()) && g.columnFeature().equals(e.columns().feature())
                    && java.util.Arrays.equals(g.rowEdges(), e.rows().edges())
                    && java.util.Arrays.equals(g.columnEdges(), e.columns().edges()),
                    "cross table " + t + " is " + g.rowFeature() + " x " + g.columnFeature() + ", expected "
                            + e.rows().feature() + " x " + e.columns().feature());
        }
        require((s.covariance() != null) == covariance, covariance ? "the covariance matrix is missing"
                : "a covariance matrix the study does not release");
        require((s.privacy() != null) == (privacy != null), privacy != null ? "the release claims to be exact"
                : "the release claims differential privacy the study does not have");
        if (privacy != null) {
            require(s.privacy().epsilon() == privacy.describe().epsilon()
                    && s.privacy().delta() == privacy.describe().delta(), "privacy epsilon " + s.privacy().epsilon()
                            + " delta " + s.privacy().delta() + " differs from the study's");
        }
        require(!s.hospitals().isEmpty() && enrolled.containsAll(s.hospitals())
                && s.hospitals().stream().distinct().count() == s.hospitals().size(),
                "participants " + s.hospitals() + " are not distinct enrolled hospitals");
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    /** The layout of a study (its cohort's features; statistics studies add outcomes and histograms). */
    public static CohortStatistics forStudy(StudyDefinition study) {
        List<String> names = new ArrayList<>();
        for (FeatureDefinition f : study.cohortDefinition().features()) {
            names.add(f.name());
        }
        if (study.statisticsOnly() && study.privacy().enabled()) {
            var cohort = study.cohortDefinition();
            for (FeatureDefinition f : cohort.features()) {
                // imputing the cohort mean ties every patient's value to the others: one patient more would move
                // many imputed values (and their bins) at once, beyond the sensitivity the noise is calibrated to
                if (cohort.policyFor(f) instanceof org.glovebox.data.cohort.MissingValuePolicy.ImputeMean) {
                    throw new IllegalArgumentException("feature '" + f.name() + "' imputes missing values with the"
                            + " cohort mean, which differential privacy cannot allow (one patient would move every"
                            + " imputed value): use missing: drop or a constant");
                }
            }
        }
        // release 0 waits for every enrolled hospital, so all P noise shares are in the sum; sized for P − 1 shares,
        // any one hospital, which knows its own share, still faces the full noise
        return new CohortStatistics(names, study.statisticsOnly(), study.statistics(), study.privacy(),
                study.hospitals().size());
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

    /** The release's differential privacy, or null when it is exact. */
    public StatisticsPrivacy privacy() {
        return privacy;
    }

    /**
     * How far one patient can move each entry (the entry's L2 sensitivity scale): 1 for counts, the bound's magnitude
     * M_j for Σx_j, M_j² for Σx_j², M_a·M_b for Σx_a·x_b. Only defined with bounds.
     */
    private double[] sensitivityScales() {
        double[] s = new double[integers()];
        java.util.Arrays.fill(s, 1);
        for (int j = 0; j < features; j++) {
            double m = bounds[j].magnitude();
            s[1 + j] = m;
            s[1 + features + j] = m * m;
        }
        int o = 2 + 2 * features;
        for (HistogramSpec h : histograms) {
            o += 2 * h.bins();
        }
        if (covariance) {
            for (int a = 0; a < features; a++) {
                for (int b = a + 1; b < features; b++) {
                    s[o++] = bounds[a].magnitude() * bounds[b].magnitude();
                }
            }
        }
        return s;
    }

    /**
     * One hospital's vector over its patients {@code x} (rows of {@code features} values) with outcomes {@code y}
     * (1 positive, 0 negative; only read for a statistics study). With differential privacy, {@code noise} draws
     * this hospital's noise share (a generator seeded from {@code SecureRandom}); it is not read otherwise.
     */
    public BigInteger[] local(double[][] x, double[] y, Random noise) {
        double[][] rows = bounds == null ? x : clipped(x);
        double[] raw = new double[integers()];
        boolean[] count = new boolean[raw.length];
        raw[0] = rows.length;
        count[0] = true;
        for (int j = 0; j < features; j++) {
            double s = 0;
            double sq = 0;
            for (double[] row : rows) {
                s += row[j];
                sq += row[j] * row[j];
            }
            raw[1 + j] = s;
            raw[1 + features + j] = sq;
        }
        if (full) {
            if (y.length != rows.length) {
                throw new IllegalArgumentException(rows.length + " patients but " + y.length + " outcomes");
            }
            int o = 1 + 2 * features;
            count[o] = true;
            for (double label : y) {
                raw[o] += label > 0.5 ? 1 : 0;
            }
            o++;
            for (int h = 0; h < histograms.size(); h++) {
                HistogramSpec spec = histograms.get(h);
                int j = histogramFeature[h];
                o = putCounts(raw, count, o, spec.bins(), y, i -> spec.bin(rows[i][j]));
            }
            if (covariance) {
                for (int a = 0; a < features; a++) {
                    for (int b = a + 1; b < features; b++) {
                        double s = 0;
                        for (double[] row : rows) {
                            s += row[a] * row[b];
                        }
                        raw[o++] = s;
                    }
                }
            }
            for (int t = 0; t < crossTables.size(); t++) {
                StatisticsSpec.CrossTableSpec spec = crossTables.get(t);
                int cols = spec.columns().bins();
                int r = tableRows[t];
                int c = tableColumns[t];
                o = putCounts(raw, count, o, spec.cells(), y,
                        i -> spec.rows().bin(rows[i][r]) * cols + spec.columns().bin(rows[i][c]));
            }
        }
        BigInteger[] v = new BigInteger[raw.length];
        for (int k = 0; k < raw.length; k++) {
            if (privacy != null) {
                v[k] = AggregationScheme.fixedPoint(raw[k] + privacy.shareStd(k) * noise.nextGaussian());
            } else {
                v[k] = count[k] ? BigInteger.valueOf((long) raw[k]) : AggregationScheme.fixedPoint(raw[k]);
            }
        }
        return v;
    }

    /** One hospital's exact vector (no differential privacy). */
    public BigInteger[] local(double[][] x, double[] y) {
        if (privacy != null) {
            throw new IllegalStateException("this study releases with differential privacy: pass a noise source");
        }
        return local(x, y, null);
    }

    private double[][] clipped(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = new double[features];
            for (int j = 0; j < features; j++) {
                c[i][j] = bounds[j].clip(x[i][j]);
            }
        }
        return c;
    }

    /**
     * Counts the patients per cell ({@code cellOf} maps patient i to its cell) overall and among positive outcomes,
     * and writes both count vectors at {@code o}; returns the offset after them.
     */
    private static int putCounts(double[] raw, boolean[] count, int o, int cells, double[] y, IntUnaryOperator cellOf) {
        for (int i = 0; i < y.length; i++) {
            int cell = cellOf.applyAsInt(i);
            raw[o + cell]++;
            if (y[i] > 0.5) {
                raw[o + cells + cell]++;
            }
        }
        java.util.Arrays.fill(count, o, o + 2 * cells, true);
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
     * The released statistics of a statistics study from the summed vector. Exact releases compute variances from
     * the exact integer sums (n·Σx² − (Σx)² in integers), so a large mean does not cancel the variance away; private
     * releases post-process the noisy sums (counts rounded and clamped to [0, …], positives to [0, count], means to
     * their bounds, variances to [0, …]), which costs no privacy.
     *
     * @throws IllegalArgumentException if an exact vector is not consistent (negative or impossible counts): a sign
     *                                  that the decryption failed
     */
    public StudyStatistics release(BigInteger[] sum, List<String> hospitals) {
        if (!full) {
            throw new IllegalStateException("a training study releases its standardization only");
        }
        if (sum.length != integers()) {
            throw new IllegalArgumentException("expected " + integers() + " integers, got " + sum.length);
        }
        Sums r = privacy == null ? new ExactSums(sum) : new NoisySums(sum);
        List<StudyStatistics.Feature> fs = new ArrayList<>(features);
        for (int j = 0; j < features; j++) {
            fs.add(new StudyStatistics.Feature(names.get(j), r.mean(j),
                    Math.max(0, r.covariance(j, j, 1 + features + j))));
        }
        int o = 1 + 2 * features;
        long positives = r.positives(o++);
        List<StudyStatistics.Histogram> hs = new ArrayList<>();
        for (HistogramSpec spec : histograms) {
            long[][] c = r.cells(o, spec.bins());
            o += 2 * spec.bins();
            hs.add(new StudyStatistics.Histogram(spec.feature(), spec.edges(), c[0], c[1]));
        }
        double[][] cov = null;
        if (covariance) {
            cov = new double[features][features];
            for (int a = 0; a < features; a++) {
                cov[a][a] = fs.get(a).variance();
                for (int b = a + 1; b < features; b++) {
                    cov[a][b] = cov[b][a] = r.covariance(a, b, o++);
                }
            }
        }
        List<StudyStatistics.CrossTable> ts = new ArrayList<>();
        for (StatisticsSpec.CrossTableSpec spec : crossTables) {
            long[][] c = r.cells(o, spec.cells());
            o += 2 * spec.cells();
            ts.add(new StudyStatistics.CrossTable(spec.rows().feature(), spec.rows().edges(),
                    spec.columns().feature(), spec.columns().edges(), c[0], c[1]));
        }
        return new StudyStatistics(r.patients(), positives, fs, hs, cov, ts, hospitals,
                privacy == null ? null : privacy.describe());
    }

    /** How the entries of a summed vector become released figures: exactly, or post-processed from noisy sums. */
    private interface Sums {
        long patients();

        double mean(int feature);

        /** Sample covariance of features a and b, whose cross sum is entry k (with a = b, the variance). */
        double covariance(int a, int b, int k);

        long positives(int k);

        /** The cell counts at offset o and the positive counts after them. */
        long[][] cells(int o, int cells);
    }

    /** Exact integer sums. */
    private final class ExactSums implements Sums {
        private final BigInteger[] sum;
        private final long n;
        private final BigInteger bn;

        ExactSums(BigInteger[] sum) {
            this.sum = sum;
            this.n = sum[0].longValueExact();
            this.bn = BigInteger.valueOf(n);
        }

        public long patients() {
            return n;
        }

        public double mean(int j) {
            return n == 0 ? Double.NaN : AggregationScheme.fromFixedPoint(sum[1 + j]) / n;
        }

        public double covariance(int a, int b, int k) {
            return exactCovariance(bn, sum[1 + a], sum[1 + b], sum[k]);
        }

        public long positives(int k) {
            return sum[k].longValueExact();
        }

        public long[][] cells(int o, int cells) {
            long[][] c = new long[2][cells];
            for (int k = 0; k < cells; k++) {
                c[0][k] = sum[o + k].longValueExact();
                c[1][k] = sum[o + cells + k].longValueExact();
            }
            return c;
        }
    }

    /** Noisy fixed-point sums, post-processed (no privacy cost): see {@link #release}. */
    private final class NoisySums implements Sums {
        private final double[] v;
        private final long n;
        private final double nn;

        NoisySums(BigInteger[] sum) {
            v = new double[sum.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = AggregationScheme.fromFixedPoint(sum[k]);
            }
            n = roundCount(v[0]);
            nn = Math.max(v[0], 1); // the noisy n divides the noisy sums; at least 1 keeps them finite
        }

        public long patients() {
            return n;
        }

        public double mean(int j) {
            return bounds[j].clip(v[1 + j] / nn);
        }

        public double covariance(int a, int b, int k) {
            return (v[k] - nn * mean(a) * mean(b)) / Math.max(nn - 1, 1);
        }

        public long positives(int k) {
            return Math.min(n, roundCount(v[k]));
        }

        public long[][] cells(int o, int cells) {
            long[][] c = new long[2][cells];
            for (int k = 0; k < cells; k++) {
                c[0][k] = roundCount(v[o + k]);
                c[1][k] = Math.min(c[0][k], roundCount(v[o + cells + k]));
            }
            return c;
        }
    }

    private static long roundCount(double v) {
        return Math.max(0, Math.round(v));
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
