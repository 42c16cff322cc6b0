package org.glovebox.ml.lr;

import java.util.Arrays;
import java.util.Locale;

/**
 * An odd-degree polynomial approximation of the logistic function σ(t) = 1 / (1 + e^-t) on an interval [-R, R]:
 * σ(t) ≈ 1/2 + Σ_k c_{2k+1}·t^{2k+1} (σ - 1/2 is odd, so the best approximation has no even terms).
 *
 * <p>{@link #leastSquares} fits it by least squares with uniform weight on [-R, R], computed in the Chebyshev basis
 * of t/R (well conditioned at any degree) and converted to monomials. Degree 3 on [-8, 8] reproduces the g_3 of Kim,
 * Song, Kim, Lee and Cheon (BMC Med Genomics 2018): 0.5 + 0.15012·t - 0.0015930·t^3. See docs/ml.md for why
 * Glovebox trains with degree 3 and which interval.
 */
public final class SigmoidApproximation {
    private final int degree;
    private final double radius;
    private final double[] monomial;

    private SigmoidApproximation(int degree, double radius, double[] monomial) {
        this.degree = degree;
        this.radius = radius;
        this.monomial = monomial;
    }

    /** The default of encrypted training: degree 3, least squares on [-8, 8]. */
    public static SigmoidApproximation defaultForTraining() {
        return leastSquares(3, 8);
    }

    /** Least-squares fit (uniform weight) of odd degree {@code degree} on [-radius, radius]. */
    public static SigmoidApproximation leastSquares(int degree, double radius) {
        if (degree < 1 || degree % 2 == 0 || degree > 15) {
            throw new IllegalArgumentException("degree must be odd, 1..15, got " + degree);
        }
        if (!(radius > 0) || !Double.isFinite(radius) || radius > 64) {
            throw new IllegalArgumentException("radius must be in (0, 64], got " + radius);
        }
        int terms = (degree + 1) / 2; // T_1, T_3, ..., T_degree in u = t / radius
        // Normal equations by Gauss-Legendre quadrature on [-1, 1] with many nodes (integrands are smooth).
        int nodes = 400;
        double[][] gl = gaussLegendre(nodes);
        double[][] a = new double[terms][terms];
        double[] b = new double[terms];
        for (int k = 0; k < nodes; k++) {
            double u = gl[0][k];
            double w = gl[1][k];
            double f = 1 / (1 + Math.exp(-u * radius)) - 0.5;
            double[] t = oddChebyshev(u, terms);
            for (int i = 0; i < terms; i++) {
                b[i] += w * t[i] * f;
                for (int j = 0; j < terms; j++) {
                    a[i][j] += w * t[i] * t[j];
                }
            }
        }
        double[] cheb = solve(a, b);
        // Chebyshev (odd, in u) to monomials in u, then in t = radius·u.
        double[] mono = new double[degree + 1];
        double[][] tPoly = chebyshevMonomials(degree);
        for (int i = 0; i < terms; i++) {
            double[] p = tPoly[2 * i + 1];
            for (int e = 0; e <= degree; e++) {
                mono[e] += cheb[i] * p[e];
            }
        }
        for (int e = 0; e <= degree; e++) {
            mono[e] /= Math.pow(radius, e);
            if (e % 2 == 0) {
                mono[e] = 0;
            }
        }
        mono[0] = 0.5;
        return new SigmoidApproximation(degree, radius, mono);
    }

    /** An approximation with explicit monomial coefficients c_0 … c_degree (even ones beyond c_0 must be 0). */
    public static SigmoidApproximation ofCoefficients(double radius, double... coefficients) {
        int degree = coefficients.length - 1;
        if (degree < 1 || degree % 2 == 0) {
            throw new IllegalArgumentException("give c_0 … c_d for an odd degree d");
        }
        for (int e = 2; e <= degree; e += 2) {
            if (coefficients[e] != 0) {
                throw new IllegalArgumentException("even coefficients beyond c_0 must be 0");
            }
        }
        for (double c : coefficients) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("coefficients must be finite");
            }
        }
        return new SigmoidApproximation(degree, radius, coefficients.clone());
    }

    public int degree() {
        return degree;
    }

    /** The interval half-width R the approximation was fitted on. */
    public double radius() {
        return radius;
    }

    /** Monomial coefficients c_0 … c_degree of σ(t) ≈ Σ c_e t^e. */
    public double[] coefficients() {
        return monomial.clone();
    }

    public double coefficient(int e) {
        return monomial[e];
    }

    /** The polynomial at t (Horner). */
    public double evaluate(double t) {
        double r = 0;
        for (int e = degree; e >= 0; e--) {
            r = r * t + monomial[e];
        }
        return r;
    }

    /** The largest |p(t) - σ(t)| on [-R, R] (sampled densely). */
    public double maxError() {
        double worst = 0;
        for (int i = 0; i <= 4000; i++) {
            double t = -radius + 2 * radius * i / 4000.0;
            worst = Math.max(worst, Math.abs(evaluate(t) - 1 / (1 + Math.exp(-t))));
        }
        return worst;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.6g", monomial[0]));
        for (int e = 1; e <= degree; e++) {
            if (monomial[e] != 0) {
                s.append(String.format(Locale.ROOT, " %s %.6g·t^%d", monomial[e] < 0 ? "-" : "+",
                        Math.abs(monomial[e]), e));
            }
        }
        return "σ(t) ≈ " + s + String.format(Locale.ROOT, " on [-%s, %s]", fmt(radius), fmt(radius));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double[] oddChebyshev(double u, int terms) {
        double[] out = new double[terms];
        double tPrev = 1;
        double t = u;
        int idx = 0;
        for (int k = 1; idx < terms; k++) {
            if (k % 2 == 1) {
                out[idx++] = t;
            }
            double next = 2 * u * t - tPrev;
            tPrev = t;
            t = next;
        }
        return out;
    }

    /** Monomial coefficients of T_0 … T_degree. */
    private static double[][] chebyshevMonomials(int degree) {
        double[][] t = new double[degree + 1][degree + 1];
        t[0][0] = 1;
        if (degree >= 1) {
            t[1][1] = 1;
        }
        for (int k = 2; k <= degree; k++) {
            for (int e = 0; e <= degree; e++) {
                t[k][e] = (e > 0 ? 2 * t[k - 1][e - 1] : 0) - t[k - 2][e];
            }
        }
        return t;
    }

    /** Nodes and weights of n-point Gauss-Legendre quadrature on [-1, 1] (Newton on the Legendre recurrence). */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double dp = n * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-15) {
                    double q0 = 1;
                    double q1 = z;
                    for (int k = 2; k <= n; k++) {
                        double q2 = ((2 * k - 1) * z * q1 - (k - 1) * q0) / k;
                        q0 = q1;
                        q1 = q2;
                    }
                    dp = n * (z * q1 - q0) / (z * z - 1);
                    w[i] = 2 / ((1 - z * z) * dp * dp);
                    break;
                }
            }
            x[i] = z;
        }
        return new double[][] {x, w};
    }

    /** Gaussian elimination with partial pivoting (small systems). */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = Arrays.copyOf(a0[i], n + 1);
            a[i][n] = b0[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] tmp = a[c];
            a[c] = a[p];
            a[p] = tmp;
            if (a[c][c] == 0) {
                throw new ArithmeticException("singular system");
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= n; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
