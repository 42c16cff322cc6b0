package org.glovebox.federated.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a statistics study releases beyond patients, outcomes, means and variances (the {@code statistics} section
 * of its study file):
 *
 * <pre>
 * statistics:
 *   histograms: {age: [40, 50, 60, 70], bmi: [18.5, 25, 30]}   # inner bin edges per feature
 *   covariance: true                                           # the covariance (and correlation) matrix
 *   crossTables: [[age, bmi]]                                  # counts by the bins of two histogrammed features
 * </pre>
 *
 * @param histograms the histograms, in file order
 * @param covariance whether the feature covariance matrix is released
 * @param crossTables pairs of histogrammed features whose joint bin counts (overall and among positive outcomes) are
 *                    released
 * @param bounds per feature, the range its values are clipped to before they are summed (differential privacy only;
 *               empty otherwise)
 */
public record StatisticsSpec(List<HistogramSpec> histograms, boolean covariance, List<CrossTableSpec> crossTables,
        Map<String, Bounds> bounds) {
    /** At most this many cross tables per study. */
    public static final int MAX_CROSS_TABLES = 64;
    /** At most this many cells per cross table. */
    public static final int MAX_CELLS = 4096;

    /** Nothing beyond the basic figures (also what training studies carry). */
    public static final StatisticsSpec NONE = new StatisticsSpec(List.of(), false, List.of(), Map.of());

    /** A clipping range [low, high] of one feature. */
    public record Bounds(double low, double high) {
        public Bounds {
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
                throw new IllegalArgumentException("a clipping range needs finite low < high, got [" + low + ", "
                        + high + "]");
            }
        }

        /** The largest absolute value in the range. */
        public double magnitude() {
            return Math.max(Math.abs(low), Math.abs(high));
        }

        /** The value clipped to the range. */
        public double clip(double v) {
            return Math.min(high, Math.max(low, v));
        }
    }

    /**
     * A cross table of two histogrammed features: cell (i, j) counts the patients in bin i of {@code rows} and bin j
     * of {@code columns}.
     */
    public record CrossTableSpec(HistogramSpec rows, HistogramSpec columns) {
        public CrossTableSpec {
            if (rows.feature().equals(columns.feature())) {
                throw new IllegalArgumentException("a cross table needs two different features, got "
                        + rows.feature() + " twice");
            }
            if (rows.bins() * columns.bins() > MAX_CELLS) {
                throw new IllegalArgumentException("cross table " + rows.feature() + " x " + columns.feature()
                        + " has " + rows.bins() * columns.bins() + " cells; at most " + MAX_CELLS);
            }
        }

        public int cells() {
            return rows.bins() * columns.bins();
        }
    }

    public StatisticsSpec {
        histograms = List.copyOf(histograms);
        crossTables = List.copyOf(crossTables);
        bounds = Map.copyOf(bounds);
    }

    /** The histogram of a feature, or null. */
    public HistogramSpec histogram(String feature) {
        for (HistogramSpec h : histograms) {
            if (h.feature().equals(feature)) {
                return h;
            }
        }
        return null;
    }

    /** Parses and validates the {@code statistics} section (absent: {@link #NONE}). */
    static StatisticsSpec parse(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return NONE;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("statistics must be a map (histograms, covariance, crossTables)");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("histograms", "covariance", "crossTables", "bounds").contains(f)) {
                throw new IllegalArgumentException("unknown statistics field '" + f
                        + "' (known: [histograms, covariance, crossTables, bounds])");
            }
        }
        List<HistogramSpec> histograms = HistogramSpec.parseAll(n.path("histograms"));
        JsonNode cov = n.path("covariance");
        if (!cov.isMissingNode() && !cov.isBoolean()) {
            throw new IllegalArgumentException("statistics.covariance must be true or false");
        }
        Map<String, Bounds> bounds = parseBounds(n.path("bounds"));
        StatisticsSpec partial = new StatisticsSpec(histograms, cov.asBoolean(false), List.of(), bounds);
        JsonNode tables = n.path("crossTables");
        if (tables.isMissingNode() || tables.isNull()) {
            return partial;
        }
        if (!tables.isArray() || tables.size() > MAX_CROSS_TABLES) {
            throw new IllegalArgumentException("statistics.crossTables must be a list of at most " + MAX_CROSS_TABLES
                    + " feature pairs");
        }
        List<CrossTableSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode pair : tables) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                throw new IllegalArgumentException("a cross table is a pair of feature names, e.g. [age, sex]; got "
                        + pair);
            }
            HistogramSpec rows = partial.histogram(pair.get(0).asText());
            HistogramSpec columns = partial.histogram(pair.get(1).asText());
            if (rows == null || columns == null) {
                throw new IllegalArgumentException("cross table " + pair + ": both features need a histogram (their"
                        + " bins are the table's rows and columns)");
            }
            if (!seen.add(rows.feature() + "\u0000" + columns.feature())) {
                throw new IllegalArgumentException("cross table " + pair + " is listed twice");
            }
            out.add(new CrossTableSpec(rows, columns));
        }
        return new StatisticsSpec(histograms, partial.covariance(), out, bounds);
    }

    private static Map<String, Bounds> parseBounds(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject() || n.size() > 100_000) {
            throw new IllegalArgumentException("statistics.bounds must map feature names to [low, high]");
        }
        Map<String, Bounds> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            if (!r.isArray() || r.size() != 2 || !r.get(0).isNumber() || !r.get(1).isNumber()) {
                throw new IllegalArgumentException("statistics.bounds of " + e.getKey() + ": expected [low, high],"
                        + " got " + r);
            }
            try {
                out.put(e.getKey(), new Bounds(r.get(0).asDouble(), r.get(1).asDouble()));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("statistics.bounds of " + e.getKey() + ": " + x.getMessage(), x);
            }
        }
        return out;
    }
}
