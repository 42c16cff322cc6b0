package org.glovebox.federated.learn;

import org.glovebox.federated.study.StudyDefinition;

/**
 * A binary classifier with a flat parameter vector: logistic regression (d weights, bias) or an MLP with one tanh
 * hidden layer (h·d + h weights and biases, h output weights, output bias). Stateless: parameters are passed in.
 */
public interface Model {
    int parameterCount();

    /** Probability of the positive class. */
    double predict(double[] params, double[] x);

    /**
     * Adds the gradient of the log loss of one sample to {@code grad} and returns the sample's log loss
     * (probabilities clamped to [1e-7, 1 - 1e-7]).
     */
    double accumulateGradient(double[] params, double[] x, double y, double[] grad);

    /** Deterministic initial parameters (small values from the study seed for the MLP, zeros for LR). */
    double[] initial(long seed);

    static Model forStudy(StudyDefinition s, int features) {
        return s.modelType() == StudyDefinition.ModelType.MLP ? new Mlp(features, s.hidden())
                : new LogisticRegression(features);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double logLoss(double p, double y) {
        double q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        return y > 0.5 ? -Math.log(q) : -Math.log(1 - q);
    }

    /** Logistic regression: params = [w_1 … w_d, b]. */
    record LogisticRegression(int features) implements Model {
        @Override
        public int parameterCount() {
            return features + 1;
        }

        @Override
        public double predict(double[] p, double[] x) {
            double z = p[features];
            for (int j = 0; j < features; j++) {
                z += p[j] * x[j];
            }
            return sigmoid(z);
        }

        @Override
        public double accumulateGradient(double[] p, double[] x, double y, double[] g) {
            double q = predict(p, x);
            double e = q - y;
            for (int j = 0; j < features; j++) {
                g[j] += e * x[j];
            }
            g[features] += e;
            return logLoss(q, y);
        }

        @Override
        public double[] initial(long seed) {
            return new double[parameterCount()];
        }
    }

    /** One hidden tanh layer: params = [W (h×d, row-major), b1 (h), w2 (h), b2]. */
    record Mlp(int features, int hidden) implements Model {
        @Override
        public int parameterCount() {
            return hidden * features + 2 * hidden + 1;
        }

        private double forward(double[] p, double[] x, double[] act) {
            int d = features;
            int b1 = hidden * d;
            int w2 = b1 + hidden;
            double z = p[w2 + hidden];
            for (int k = 0; k < hidden; k++) {
                double s = p[b1 + k];
                int row = k * d;
                for (int j = 0; j < d; j++) {
                    s += p[row + j] * x[j];
                }
                double a = Math.tanh(s);
                if (act != null) {
                    act[k] = a;
                }
                z += p[w2 + k] * a;
            }
            return sigmoid(z);
        }

        @Override
        public double predict(double[] p, double[] x) {
            return forward(p, x, null);
        }

        @Override
        public double accumulateGradient(double[] p, double[] x, double y, double[] g) {
            double[] act = new double[hidden];
            double q = forward(p, x, act);
            double e = q - y;
            int d = features;
            int b1 = hidden * d;
            int w2 = b1 + hidden;
            g[w2 + hidden] += e;
            for (int k = 0; k < hidden; k++) {
                g[w2 + k] += e * act[k];
                double dz = e * p[w2 + k] * (1 - act[k] * act[k]);
                g[b1 + k] += dz;
                int row = k * d;
                for (int j = 0; j < d; j++) {
                    g[row + j] += dz * x[j];
                }
            }
            return logLoss(q, y);
        }

        @Override
        public double[] initial(long seed) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
            double[] p = new double[parameterCount()];
            double s1 = 1 / Math.sqrt(features);
            for (int i = 0; i < hidden * features; i++) {
                p[i] = (r.nextDouble() * 2 - 1) * s1;
            }
            double s2 = 1 / Math.sqrt(hidden);
            for (int k = 0; k < hidden; k++) {
                p[hidden * features + hidden + k] = (r.nextDouble() * 2 - 1) * s2;
            }
            return p;
        }
    }
}
