package org.glovebox.federated.learn;

import java.util.SplittableRandom;

/**
 * Plaintext local training on one hospital's standardized data: mini-batch gradient descent on the mean log loss for
 * a number of epochs from the global parameters, with a deterministic shuffle (seeded by study, hospital and round),
 * so that the encrypted and the plaintext aggregation paths see the same updates.
 */
public final class LocalTraining {
    private LocalTraining() {
    }

    /** The update (trained parameters minus {@code global}). */
    public static double[] train(Model model, double[] global, double[][] x, double[] y, int epochs, int batch,
            double lr, long seed) {
        double[] p = global.clone();
        int n = x.length;
        if (n == 0) {
            return new double[p.length];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] g = new double[p.length];
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int s = 0; s < n; s += batch) {
                int end = Math.min(n, s + batch);
                java.util.Arrays.fill(g, 0);
                for (int k = s; k < end; k++) {
                    model.accumulateGradient(p, x[order[k]], y[order[k]], g);
                }
                double step = lr / (end - s);
                for (int j = 0; j < p.length; j++) {
                    p[j] -= step * g[j];
                }
            }
        }
        for (int j = 0; j < p.length; j++) {
            p[j] -= global[j];
        }
        return p;
    }

    /** Scales {@code u} in place so that its L2 norm is at most {@code c}; returns the original norm. */
    public static double clip(double[] u, double c) {
        double s = 0;
        for (double v : u) {
            s += v * v;
        }
        double norm = Math.sqrt(s);
        if (norm > c) {
            double f = c / norm;
            for (int i = 0; i < u.length; i++) {
                u[i] *= f;
            }
        }
        return norm;
    }
}
