package org.glovebox.federated.stats;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The study-wide cohort statistics a statistics study releases: sums over every participating hospital's patients,
 * opened by a threshold decryption; no single hospital's figures. Counts are exact; means and variances are exact up
 * to each hospital's 2^-20 fixed-point rounding of its own sums. A differentially private release ({@code privacy}
 * set) carries calibrated Gaussian noise instead, post-processed (see {@link CohortStatistics#release}).
 *
 * @param patients patients over all participating hospitals
 * @param positives patients with a positive outcome
 * @param features per-feature summaries, in cohort order
 * @param histograms the histograms the study defined, in its order
 * @param covariance the sample covariance matrix of the features (n − 1 in the denominator), or null if the study did
 *                   not ask for it
 * @param crossTables the cross tables the study defined, in its order
 * @param hospitals the hospitals whose data the figures include
 * @param privacy the differential privacy of the release, or null when it is exact
 */
public record StudyStatistics(long patients, long positives, List<Feature> features, List<Histogram> histograms,
        double[][] covariance, List<CrossTable> crossTables, List<String> hospitals, Privacy privacy) {

    /**
     * The differential privacy of a release (see {@link StatisticsPrivacy}).
     *
     * @param epsilon ε of the patient-level (ε, δ) guarantee
     * @param delta δ
     * @param countNoiseStd the standard deviation of the Gaussian noise on every released count (sums get it times
     *                      their clipping bound)
     */
    public record Privacy(double epsilon, double delta, double countNoiseStd) {
        public Privacy {
            if (!(epsilon > 0) || !(delta > 0 && delta < 1) || !(countNoiseStd > 0)) {
                throw new IllegalArgumentException("privacy needs epsilon > 0, delta in (0, 1) and a positive noise");
            }
        }
    }

    /** Most bytes a serialized result may have (a hospital refuses a larger one). */
    public static final int MAX_JSON_BYTES = 1 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /**
     * One feature's summary.
     *
     * @param name the feature's name
     * @param mean the mean over all patients
     * @param variance the sample variance (n − 1 in the denominator; 0 for fewer than 2 patients)
     */
    public record Feature(String name, double mean, double variance) {
        /** Sample standard deviation. */
        public double standardDeviation() {
            return Math.sqrt(variance);
        }
    }

    /**
     * One released histogram.
     *
     * @param feature the feature's name
     * @param edges the inner bin edges (bin i is [edges[i−1], edges[i]))
     * @param counts patients per bin
     * @param positives patients with a positive outcome per bin
     */
    public record Histogram(String feature, double[] edges, long[] counts, long[] positives) {
        public Histogram {
            if (edges == null || counts == null || positives == null || counts.length != edges.length + 1
                    || positives.length != counts.length) {
                throw new IllegalArgumentException("histogram of " + feature + ": needs edges.length + 1 counts and"
                        + " positives");
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0 || positives[i] < 0 || positives[i] > counts[i]) {
                    throw new IllegalArgumentException("histogram of " + feature + ": bin " + i + " has "
                            + positives[i] + " positives of " + counts[i] + " patients");
                }
            }
            edges = edges.clone();
            counts = counts.clone();
            positives = positives.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && h.feature.equals(feature) && Arrays.equals(h.edges, edges)
                    && Arrays.equals(h.counts, counts) && Arrays.equals(h.positives, positives);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts);
        }

        /** A bin's label, e.g. {@code [40, 50)}. */
        public String binLabel(int i) {
            String lo = i == 0 ? "(-inf" : "[" + number(edges[i - 1]);
            String hi = i == edges.length ? "inf)" : number(edges[i]) + ")";
            return lo + ", " + hi;
        }
    }

    /**
     * A released cross table: cell (i, j), at index i·(columnEdges.length + 1) + j, counts the patients in bin i of
     * the row feature and bin j of the column feature.
     *
     * @param rowFeature the row feature
     * @param rowEdges its inner bin edges
     * @param columnFeature the column feature
     * @param columnEdges its inner bin edges
     * @param counts patients per cell, row-major
     * @param positives patients with a positive outcome per cell, row-major
     */
    public record CrossTable(String rowFeature, double[] rowEdges, String columnFeature, double[] columnEdges,
            long[] counts, long[] positives) {
        public CrossTable {
            if (rowEdges == null || columnEdges == null || counts == null || positives == null
                    || counts.length != Math.multiplyExact(rowEdges.length + 1, columnEdges.length + 1)
                    || positives.length != counts.length) {
                throw new IllegalArgumentException("cross table " + rowFeature + " x " + columnFeature
                        + ": needs (row bins) x (column bins) counts and positives");
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0 || positives[i] < 0 || positives[i] > counts[i]) {
                    throw new IllegalArgumentException("cross table " + rowFeature + " x " + columnFeature + ": cell "
                            + i + " has " + positives[i] + " positives of " + counts[i] + " patients");
                }
            }
            rowEdges = rowEdges.clone();
            columnEdges = columnEdges.clone();
            counts = counts.clone();
            positives = positives.clone();
        }

        /** Patients in row bin i and column bin j. */
        public long count(int i, int j) {
            return counts[i * (columnEdges.length + 1) + j];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CrossTable t && t.rowFeature.equals(rowFeature)
                    && t.columnFeature.equals(columnFeature) && Arrays.equals(t.rowEdges, rowEdges)
                    && Arrays.equals(t.columnEdges, columnEdges) && Arrays.equals(t.counts, counts)
                    && Arrays.equals(t.positives, positives);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts);
        }
    }

    public StudyStatistics {
        if (patients < 0 || positives < 0 || positives > patients) {
            throw new IllegalArgumentException("statistics: " + positives + " positives of " + patients
                    + " patients");
        }
        features = List.copyOf(features);
        histograms = List.copyOf(histograms);
        crossTables = List.copyOf(crossTables);
        hospitals = List.copyOf(hospitals);
        for (Histogram h : privacy != null ? List.<Histogram>of() : histograms) { // noisy counts need not add up
            if (Arrays.stream(h.counts()).sum() != patients) {
                throw new IllegalArgumentException("histogram of " + h.feature() + " counts "
                        + Arrays.stream(h.counts()).sum() + " patients, not " + patients);
            }
        }
        for (CrossTable t : privacy != null ? List.<CrossTable>of() : crossTables) {
            if (Arrays.stream(t.counts()).sum() != patients) {
                throw new IllegalArgumentException("cross table " + t.rowFeature() + " x " + t.columnFeature()
                        + " counts " + Arrays.stream(t.counts()).sum() + " patients, not " + patients);
            }
        }
        if (covariance != null) {
            double[][] c = new double[covariance.length][];
            for (int i = 0; i < c.length; i++) {
                if (covariance[i] == null || covariance[i].length != features.size()) {
                    throw new IllegalArgumentException("the covariance matrix must be " + features.size() + " x "
                            + features.size());
                }
                c[i] = covariance[i].clone();
            }
            if (c.length != features.size()) {
                throw new IllegalArgumentException("the covariance matrix must be " + features.size() + " x "
                        + features.size());
            }
            covariance = c;
        }
    }

    @Override
    public double[][] covariance() {
        if (covariance == null) {
            return null;
        }
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = covariance[i].clone();
        }
        return c;
    }

    /** Pearson correlation of features a and b (NaN without a covariance matrix or for a constant feature). */
    public double correlation(int a, int b) {
        if (covariance == null) {
            return Double.NaN;
        }
        double d = Math.sqrt(covariance[a][a] * covariance[b][b]);
        return d > 0 ? covariance[a][b] / d : Double.NaN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudyStatistics s && s.patients == patients && s.positives == positives
                && s.features.equals(features) && s.histograms.equals(histograms)
                && Arrays.deepEquals(s.covariance, covariance) && s.crossTables.equals(crossTables)
                && s.hospitals.equals(hospitals) && java.util.Objects.equals(s.privacy, privacy);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(patients) * 31 + features.hashCode();
    }

    /** The result as JSON. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads and validates a result written by {@link #toJson}, of at most {@link #MAX_JSON_BYTES}. */
    public static StudyStatistics fromJson(byte[] json) {
        return fromJson(json, MAX_JSON_BYTES);
    }

    /** Reads and validates a result written by {@link #toJson}, of at most {@code maxBytes}. */
    public static StudyStatistics fromJson(byte[] json, int maxBytes) {
        if (json == null || json.length == 0 || json.length > maxBytes) {
            throw new IllegalArgumentException("study statistics must be 1 to " + maxBytes + " bytes of JSON");
        }
        try {
            StudyStatistics s = JSON.readValue(json, StudyStatistics.class);
            if (s == null || s.features() == null) {
                throw new IllegalArgumentException("study statistics JSON is incomplete");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed study statistics JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** A plain-text report (a table per section), for terminals and logs. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d patients at %d hospitals (%s), %d with a positive outcome (%.1f %%)%n",
                patients, hospitals.size(), String.join(", ", hospitals), positives,
                patients == 0 ? 0.0 : 100.0 * positives / patients));
        if (privacy != null) {
            b.append(String.format(Locale.ROOT, "differentially private: epsilon %.3g, delta %.1e; every count carries"
                    + " Gaussian noise of standard deviation %.1f%n", privacy.epsilon(), privacy.delta(),
                    privacy.countNoiseStd()));
        }
        b.append(String.format(Locale.ROOT, "%-24s %14s %14s%n", "feature", "mean", "sd"));
        for (Feature f : features) {
            b.append(String.format(Locale.ROOT, "%-24s %14.6g %14.6g%n", f.name(), f.mean(), f.standardDeviation()));
        }
        for (Histogram h : histograms) {
            b.append(String.format(Locale.ROOT, "%nhistogram of %s%n%-24s %10s %10s %10s%n", h.feature(), "bin",
                    "patients", "positive", "rate"));
            for (int i = 0; i < h.counts().length; i++) {
                b.append(String.format(Locale.ROOT, "%-24s %10d %10d %10s%n", h.binLabel(i), h.counts()[i],
                        h.positives()[i], h.counts()[i] == 0 ? "-"
                                : String.format(Locale.ROOT, "%.1f %%", 100.0 * h.positives()[i] / h.counts()[i])));
            }
        }
        if (covariance != null) {
            b.append(String.format(Locale.ROOT, "%ncorrelation%n%-12s", ""));
            for (Feature f : features) {
                b.append(String.format(Locale.ROOT, " %8.8s", f.name()));
            }
            b.append(String.format(Locale.ROOT, "%n"));
            for (int i = 0; i < features.size(); i++) {
                b.append(String.format(Locale.ROOT, "%-12.12s", features.get(i).name()));
                for (int j = 0; j < features.size(); j++) {
                    b.append(String.format(Locale.ROOT, " %8.3f", correlation(i, j)));
                }
                b.append(String.format(Locale.ROOT, "%n"));
            }
        }
        for (CrossTable t : crossTables) {
            int cols = t.columnEdges().length + 1;
            Histogram rowLabels = new Histogram(t.rowFeature(), t.rowEdges(), new long[t.rowEdges().length + 1],
                    new long[t.rowEdges().length + 1]);
            Histogram colLabels = new Histogram(t.columnFeature(), t.columnEdges(), new long[cols], new long[cols]);
            b.append(String.format(Locale.ROOT, "%npatients (positive) by %s (rows) and %s (columns)%n%-16s",
                    t.rowFeature(), t.columnFeature(), ""));
            for (int j = 0; j < cols; j++) {
                b.append(String.format(Locale.ROOT, " %18s", colLabels.binLabel(j)));
            }
            b.append(String.format(Locale.ROOT, "%n"));
            for (int i = 0; i < t.rowEdges().length + 1; i++) {
                b.append(String.format(Locale.ROOT, "%-16s", rowLabels.binLabel(i)));
                for (int j = 0; j < cols; j++) {
                    b.append(String.format(Locale.ROOT, " %18s", t.counts()[i * cols + j] + " ("
                            + t.positives()[i * cols + j] + ")"));
                }
                b.append(String.format(Locale.ROOT, "%n"));
            }
        }
        return b.toString();
    }

    /** A number as a person writes it: 40 rather than 40.0, 18.5 as is. */
    public static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
