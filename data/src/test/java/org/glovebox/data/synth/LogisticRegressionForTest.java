package org.glovebox.data.synth;

import java.util.List;

/** Plain Newton-Raphson logistic regression with an intercept, small enough to check the synthetic ground truth. */
final class LogisticRegressionForTest {

    private LogisticRegressionForTest() {
    }

    /** Coefficients: index 0 is the intercept, then one per feature. */
    static double[] fit(List<double[]> x, List<Double> y, int d) {
        int p = d + 1;
        double[] beta = new double[p];
        for (int iteration = 0; iteration < 25; iteration++) {
            double[] gradient = new double[p];
            double[][] hessian = new double[p][p];
            for (int i = 0; i < x.size(); i++) {
                double[] xi = withIntercept(x.get(i));
                double z = 0;
                for (int j = 0; j < p; j++) {
                    z += beta[j] * xi[j];
                }
                double mu = 1 / (1 + Math.exp(-z));
                double w = mu * (1 - mu);
                for (int j = 0; j < p; j++) {
                    gradient[j] += (y.get(i) - mu) * xi[j];
                    for (int k = 0; k < p; k++) {
                        hessian[j][k] += w * xi[j] * xi[k];
                    }
                }
            }
            double[] step = solve(hessian, gradient);
            double norm = 0;
            for (int j = 0; j < p; j++) {
                beta[j] += step[j];
                norm += step[j] * step[j];
            }
            if (norm < 1e-16) {
                break;
            }
        }
        return beta;
    }

    private static double[] withIntercept(double[] row) {
        double[] out = new double[row.length + 1];
        out[0] = 1;
        System.arraycopy(row, 0, out, 1, row.length);
        return out;
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
