package org.glovebox.federated.hospital;

import java.util.SplittableRandom;
import org.glovebox.data.FeatureMatrix;

/**
 * A hospital's own patients as a feature matrix, split deterministically into a training and a validation part
 * (seeded by the study seed and the hospital's name). Never leaves the hospital.
 */
public final class LocalData {
    private final double[][] trainX;
    private final double[] trainY;
    private final double[][] validX;
    private final double[] validY;
    private final int features;

    public LocalData(double[][] x, double[] y, double validationFraction, long seed) {
        int n = x.length;
        this.features = n == 0 ? 0 : x[0].length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nv = (int) Math.round(n * validationFraction);
        validX = new double[nv][];
        validY = new double[nv];
        trainX = new double[n - nv][];
        trainY = new double[n - nv];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            if (i < nv) {
                validX[i] = x[k].clone();
                validY[i] = y[k];
            } else {
                trainX[i - nv] = x[k].clone();
                trainY[i - nv] = y[k];
            }
        }
    }

    public static LocalData of(FeatureMatrix m, double validationFraction, long seed) {
        return new LocalData(m.toRows(), m.labels(), validationFraction, seed);
    }

    public int features() {
        return features;
    }

    public double[][] trainX() {
        return trainX;
    }

    public double[] trainY() {
        return trainY;
    }

    public double[][] validX() {
        return validX;
    }

    public double[] validY() {
        return validY;
    }

    /** Standardizes rows with the study-wide means and standard deviations. */
    public static double[][] standardize(double[][] x, double[] means, double[] sds) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] row = new double[x[i].length];
            for (int j = 0; j < row.length; j++) {
                row[j] = (x[i][j] - means[j]) / sds[j];
            }
            out[i] = row;
        }
        return out;
    }
}
