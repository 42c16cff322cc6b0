package org.glovebox.ml.lr;

import java.util.Arrays;

/**
 * The affine map that brings each feature into [-1, 1] before encryption, x' = (x - center) / halfRange, so that
 * z·β stays inside the interval the sigmoid approximation was fitted on; and back: a model β' fitted on x' is, in
 * the original units, intercept β'_0 - Σ β'_j·center_j / halfRange_j and coefficients β'_j / halfRange_j.
 *
 * <p>{@link #minMax} derives it from one hospital's data; hospitals that pool data must agree on one scaling (for
 * example plausible clinical ranges) and use {@link #of}.
 */
public final class FeatureScaling {
    private final double[] center;
    private final double[] halfRange;

    private FeatureScaling(double[] center, double[] halfRange) {
        if (center.length != halfRange.length) {
            throw new IllegalArgumentException("one center and one half-range per feature");
        }
        for (int j = 0; j < center.length; j++) {
            if (!Double.isFinite(center[j]) || !(halfRange[j] > 0) || !Double.isFinite(halfRange[j])) {
                throw new IllegalArgumentException("feature " + j + ": center must be finite and half-range positive");
            }
        }
        this.center = center.clone();
        this.halfRange = halfRange.clone();
    }

    /** An explicit scaling (e.g. agreed between hospitals). */
    public static FeatureScaling of(double[] center, double[] halfRange) {
        return new FeatureScaling(center, halfRange);
    }

    /** The identity (center 0, half-range 1): features used as they are. */
    public static FeatureScaling identity(int features) {
        double[] c = new double[features];
        double[] h = new double[features];
        Arrays.fill(h, 1);
        return new FeatureScaling(c, h);
    }

    /** Min-max scaling of each column to [-1, 1] (a constant column gets half-range 1). */
    public static FeatureScaling minMax(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        int d = rows[0].length;
        double[] c = new double[d];
        double[] h = new double[d];
        for (int j = 0; j < d; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] r : rows) {
                min = Math.min(min, r[j]);
                max = Math.max(max, r[j]);
            }
            c[j] = (min + max) / 2;
            h[j] = max > min ? (max - min) / 2 : 1;
        }
        return new FeatureScaling(c, h);
    }

    /**
     * Standardization with a margin: center = mean, half-range = k·(standard deviation), so that most values fall
     * in [-1, 1] (all within k standard deviations); a constant column gets half-range 1.
     */
    public static FeatureScaling standardized(double[][] rows, double k) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        if (!(k > 0) || !Double.isFinite(k)) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        int d = rows[0].length;
        double[] c = new double[d];
        double[] h = new double[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (double[] r : rows) {
                sum += r[j];
            }
            double mean = sum / rows.length;
            double ss = 0;
            for (double[] r : rows) {
                ss += (r[j] - mean) * (r[j] - mean);
            }
            double sd = Math.sqrt(ss / rows.length);
            c[j] = mean;
            h[j] = sd > 0 ? k * sd : 1;
        }
        return new FeatureScaling(c, h);
    }

    public int features() {
        return center.length;
    }

    public double center(int j) {
        return center[j];
    }

    public double halfRange(int j) {
        return halfRange[j];
    }

    /** x' for one row. */
    public double[] apply(double[] row) {
        if (row.length != center.length) {
            throw new IllegalArgumentException("row has " + row.length + " values, scaling " + center.length);
        }
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - center[j]) / halfRange[j];
        }
        return out;
    }

    /** x' for every row. */
    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = apply(rows[i]);
        }
        return out;
    }

    /** Slot multipliers a = (1, 1/h_1, …, 1/h_d): x' = a·x + b per feature, the intercept slot kept at 1. */
    public double[] multipliers() {
        double[] a = new double[center.length + 1];
        a[0] = 1;
        for (int j = 0; j < center.length; j++) {
            a[j + 1] = 1 / halfRange[j];
        }
        return a;
    }

    /** Slot offsets b = (0, -c_1/h_1, …, -c_d/h_d). */
    public double[] offsets() {
        double[] b = new double[center.length + 1];
        for (int j = 0; j < center.length; j++) {
            b[j + 1] = -center[j] / halfRange[j];
        }
        return b;
    }

    /**
     * A model fitted on scaled features, (β'_0, β'_1, …), in original units: (β'_0 + Σ β'_j·b_j, β'_j·a_j).
     */
    public double[] toOriginalUnits(double[] scaledModel) {
        return toOriginalUnits(scaledModel, multipliers(), offsets());
    }

    /** The same conversion from the multiplier and offset vectors (as decrypted from a model file). */
    public static double[] toOriginalUnits(double[] scaledModel, double[] a, double[] b) {
        double[] out = new double[scaledModel.length];
        out[0] = scaledModel[0];
        for (int j = 1; j < scaledModel.length; j++) {
            out[j] = scaledModel[j] * a[j];
            out[0] += scaledModel[j] * b[j];
        }
        return out;
    }
}
