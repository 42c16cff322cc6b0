package org.glovebox.ml.lr;

/**
 * The plaintext twin of {@link EncryptedLogisticRegression}: the same iterations, the same polynomial sigmoid and the
 * same arithmetic order in double precision, so the only difference between the two models is CKKS noise.
 *
 * <p>With labels y' = ±1 and z_i = y'_i·(1, x'_i), the gradient step of the logistic loss from v is
 * (γ/n)·Σ σ(-z_i·v)·z_i. Iteration 0 starts from v = 0, where σ(0) = 1/2 exactly, so it is the closed form
 * β_1 = v_1 = (γ_0/n)·(1/2)·Σ z_i (the encrypted trainer uses this to spend one level on it instead of four).
 */
public final class PlainLogisticRegression {
    private final TrainingConfig config;
    private double maxAbsInput;

    public PlainLogisticRegression(TrainingConfig config) {
        this.config = config;
    }

    /**
     * Trains on already scaled features and 0/1 labels; returns (β_0, β_1, …, β_d) in the scaled units.
     */
    public double[] trainScaled(double[][] x, int[] labels) {
        int n = x.length;
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException("need one label per row and at least one row");
        }
        int w = x[0].length + 1;
        double[][] z = new double[n][w];
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1");
            }
            double sign = labels[i] == 1 ? 1 : -1;
            z[i][0] = sign;
            for (int j = 1; j < w; j++) {
                z[i][j] = sign * x[i][j - 1];
            }
        }
        return trainZ(z);
    }

    /** The iterations on z_i = y'_i·(1, x'_i). */
    double[] trainZ(double[][] z) {
        int n = z.length;
        int w = z[0].length;
        SigmoidApproximation p = config.sigmoid();
        NesterovSchedule s = config.schedule();
        int k = config.iterations();
        maxAbsInput = 0;
        // Iteration 0 in closed form: v_1 = β_1 = (γ_0 / n)·σ(0)·Σ z_i  (η_0 = 0).
        double c = s.gamma(0) * p.coefficient(0) / n;
        double[] v = new double[w];
        for (double[] zi : z) {
            for (int j = 0; j < w; j++) {
                v[j] += zi[j];
            }
        }
        for (int j = 0; j < w; j++) {
            v[j] *= c;
        }
        double[] beta = v.clone();
        for (int t = 1; t < k; t++) {
            boolean last = t == k - 1;
            double eta = s.eta(t);
            double fold = last ? 1 : 1 - eta;
            double[] grad = new double[w];
            for (double[] zi : z) {
                double dot = 0;
                for (int j = 0; j < w; j++) {
                    dot += zi[j] * v[j];
                }
                maxAbsInput = Math.max(maxAbsInput, Math.abs(dot));
                double g = p.evaluate(-dot);
                for (int j = 0; j < w; j++) {
                    grad[j] += g * zi[j];
                }
            }
            double step = s.gamma(t) * fold / n;
            double[] d = new double[w];
            for (int j = 0; j < w; j++) {
                d[j] = step * grad[j];
            }
            if (last) {
                for (int j = 0; j < w; j++) {
                    beta[j] = v[j] + d[j];
                }
            } else {
                double[] nextV = new double[w];
                double[] nextBeta = new double[w];
                for (int j = 0; j < w; j++) {
                    nextV[j] = d[j] + (1 - eta) * v[j] + eta * beta[j];
                    nextBeta[j] = v[j] + d[j] / (1 - eta);
                }
                v = nextV;
                beta = nextBeta;
            }
        }
        return beta;
    }

    /** Trains on features in original units: scales them, trains, and converts the model back. */
    public LogisticModel train(java.util.List<String> names, double[][] x, int[] labels, FeatureScaling scaling) {
        double[] scaled = trainScaled(scaling.apply(x), labels);
        double[] orig = scaling.toOriginalUnits(scaled);
        return LogisticModel.of(names, orig);
    }

    /**
     * The largest |z_i·v_t| the last training run met: the sigmoid approximation is only accurate within its
     * interval, so a value above {@link SigmoidApproximation#radius()} says the scaling or learning rate is too
     * aggressive for this data set. (Only the data owner can compute this; the cloud never sees it.)
     */
    public double maxAbsSigmoidInput() {
        return maxAbsInput;
    }
}
