package org.glovebox.he.ckks;

import java.util.function.DoubleUnaryOperator;

/**
 * A real polynomial p(x) = Σ c_i T_i(y) in the Chebyshev basis on an interval [a, b], with y = (2x - a - b)/(b - a).
 * The Chebyshev basis keeps coefficients small and evaluation stable, which is what homomorphic evaluation needs.
 * {@link #evaluate(double)} is the plaintext twin of {@link PolynomialEvaluator#evaluate}. Immutable.
 */
public final class ChebyshevPolynomial {
    private final double[] coefficients;
    private final double a;
    private final double b;

    public ChebyshevPolynomial(double[] coefficients, double a, double b) {
        if (coefficients.length == 0) {
            throw new IllegalArgumentException("a polynomial needs at least one coefficient");
        }
        if (!(a < b) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("interval must satisfy a < b, got [" + a + ", " + b + "]");
        }
        for (double c : coefficients) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("coefficients must be finite");
            }
        }
        this.coefficients = coefficients.clone();
        this.a = a;
        this.b = b;
    }

    /**
     * Interpolates f at the degree+1 Chebyshev nodes of [a, b]: a near-minimax approximation whose error decays
     * with the smoothness of f.
     */
    public static ChebyshevPolynomial interpolate(DoubleUnaryOperator f, int degree, double a, double b) {
        if (degree < 0) {
            throw new IllegalArgumentException("degree must be >= 0");
        }
        int n = degree + 1;
        double[] fx = new double[n];
        for (int k = 0; k < n; k++) {
            double y = Math.cos(Math.PI * (k + 0.5) / n);
            fx[k] = f.applyAsDouble(0.5 * (b - a) * y + 0.5 * (a + b));
        }
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += fx[k] * Math.cos(Math.PI * j * (k + 0.5) / n);
            }
            c[j] = (j == 0 ? 1.0 : 2.0) * s / n;
        }
        return new ChebyshevPolynomial(c, a, b);
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    double coefficient(int i) {
        return coefficients[i];
    }

    public int degree() {
        return coefficients.length - 1;
    }

    public double lower() {
        return a;
    }

    public double upper() {
        return b;
    }

    /** True if the interval is [-1, 1], so no change of variable (and no extra level) is needed. */
    public boolean onUnitInterval() {
        return a == -1 && b == 1;
    }

    /** Levels consumed by homomorphic evaluation: ceil(log2(degree + 1)), plus one for a change of variable. */
    public int depth() {
        int d = 32 - Integer.numberOfLeadingZeros(degree());
        return Math.max(d, 1) + (onUnitInterval() ? 0 : 1);
    }

    /** Plaintext evaluation (Clenshaw's recurrence). */
    public double evaluate(double x) {
        double y = (2 * x - a - b) / (b - a);
        double b1 = 0;
        double b2 = 0;
        for (int i = coefficients.length - 1; i >= 1; i--) {
            double t = 2 * y * b1 - b2 + coefficients[i];
            b2 = b1;
            b1 = t;
        }
        return y * b1 - b2 + coefficients[0];
    }
}
