package org.glovebox.he.ckks;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@link ChebyshevPolynomial} on every slot of a ciphertext in the minimal depth ceil(log2(d + 1))
 * (plus one level for a change of variable when the interval is not [-1, 1]).
 *
 * <p>The polynomial is split recursively as p = q·T_m + r at powers of two m (T_{2m} = 2T_m^2 - 1), down to
 * degree-1 leaves c_0 + c_1·T_1, so each leaf only needs the input itself and every branch meets the depth bound.
 * Scales are managed exactly: each leaf encodes its constants at the scale that makes the following product and
 * rescale land on the scale its parent needs, so the result carries the input's scale.
 */
public final class PolynomialEvaluator {
    private final Evaluator ev;

    /** @param evaluator must have a relinearization key */
    public PolynomialEvaluator(Evaluator evaluator) {
        this.ev = evaluator;
    }

    /** p(x) slot-wise; the result is at level ct.level() - p.depth() with ct's scale. */
    public Ciphertext evaluate(Ciphertext ct, ChebyshevPolynomial p) {
        int depth = p.depth();
        if (ct.level() < depth) {
            throw new IllegalArgumentException("polynomial of degree " + p.degree() + " needs " + depth
                    + " levels, ciphertext has " + ct.level());
        }
        double scale = ct.scale();
        Ciphertext y = ct;
        if (!p.onUnitInterval()) {
            double alpha = 2 / (p.upper() - p.lower());
            double beta = -(p.upper() + p.lower()) / (p.upper() - p.lower());
            y = ev.relabelScale(ev.rescale(ev.addConst(ev.multiplyConst(ct, alpha), beta)), scale);
        }
        int total = Math.max(1, 32 - Integer.numberOfLeadingZeros(p.degree()));
        List<Ciphertext> giants = new ArrayList<>();
        giants.add(y); // T_1
        for (int k = 1; k < total; k++) {
            Ciphertext t = giants.get(k - 1);
            // T_{2m} = 2·T_m^2 - 1
            Ciphertext sq = ev.relinearize(ev.square(t));
            sq = ev.multiplyInteger(sq, 2);
            sq = ev.addConst(sq, -1);
            giants.add(ev.rescale(sq));
        }
        double[] c = new double[1 << total];
        for (int i = 0; i <= p.degree(); i++) {
            c[i] = p.coefficient(i);
        }
        int target = y.level() - total;
        return recurse(c, total - 1, target, scale, giants);
    }

    /**
     * Evaluates Σ c_i T_i (length 2^(k+1)) so that the result sits at level {@code level} with scale {@code scale};
     * giants.get(j) holds T_{2^j}.
     */
    private Ciphertext recurse(double[] c, int k, int level, double scale, List<Ciphertext> giants) {
        if (k == 0) {
            return leaf(c[0], c.length > 1 ? c[1] : 0, level, scale, giants.get(0));
        }
        int m = 1 << k;
        int top = highestNonZero(c);
        if (top < m) {
            double[] low = new double[m];
            System.arraycopy(c, 0, low, 0, m);
            return recurse(low, k - 1, level, scale, giants);
        }
        double[] q = new double[m];
        double[] r = new double[m];
        q[0] = c[m];
        for (int j = 1; j < m; j++) {
            q[j] = 2 * c[m + j];
        }
        r[0] = c[0];
        for (int i = 1; i < m; i++) {
            r[i] = c[i] - c[2 * m - i];
        }
        Ciphertext tm = ev.dropLevel(giants.get(k), level + 1);
        double qScale = scale * ev.parameters().q(level + 1) / tm.scale();
        Ciphertext qct = recurse(q, k - 1, level + 1, qScale, giants);
        Ciphertext prod = ev.relabelScale(ev.rescale(ev.relinearize(ev.multiply(qct, tm))), scale);
        if (highestNonZero(r) < 0) {
            return prod;
        }
        return ev.add(prod, recurse(r, k - 1, level, scale, giants));
    }

    /** c0 + c1·T_1 at the given level and scale: one constant multiplication and one rescale. */
    private Ciphertext leaf(double c0, double c1, int level, double scale, Ciphertext t1) {
        Ciphertext x = ev.dropLevel(t1, level + 1);
        double constScale = scale * ev.parameters().q(level + 1) / x.scale();
        Ciphertext t = ev.multiplyConst(x, c1, constScale);
        t = ev.addConst(t, c0);
        return ev.relabelScale(ev.rescale(t), scale);
    }

    private static int highestNonZero(double[] c) {
        for (int i = c.length - 1; i >= 0; i--) {
            if (c[i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
