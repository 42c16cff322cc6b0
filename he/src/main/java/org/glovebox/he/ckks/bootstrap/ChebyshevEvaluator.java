package org.glovebox.he.ckks.bootstrap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.glovebox.he.ckks.ChebyshevPolynomial;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;

/**
 * Depth-optimal homomorphic evaluation of a Chebyshev series on [-1, 1] with fewer non-scalar products than splitting
 * down to degree-1 leaves: p = q·T_m + r is split at powers of two m only while a branch cannot be evaluated
 * directly; a branch of degree d whose output level leaves room for T_d (depth ceil(log2 d)) plus one scalar level is
 * a leaf c_0 + Σ c_i·T_i over the powers T_1 … T_b. The bound b is chosen by dry runs that count products.
 *
 * <p>Powers come from T_2k = 2T_k² - 1 and T_(a+b) = 2T_a·T_b - T_(a-b) (a the largest power of two below a + b),
 * each at its optimal depth; the T_(a-b) correction is brought to the product's scale by a constant multiplication
 * before the rescale, so it costs no level. Scales are exact: a leaf encodes its constants so that its rescale lands on
 * the scale its parent needs, and the result carries the requested scale.
 */
final class ChebyshevEvaluator {
    private final Evaluator ev;

    ChebyshevEvaluator(Evaluator ev) {
        this.ev = ev;
    }

    /** Levels the evaluation consumes: ceil(log2(degree + 1)) (at least 1). */
    static int depth(int degree) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(degree));
    }

    private static int bestBabyBound(double[] c, int level) {
        int depth = depth(c.length - 1);
        int best = 1;
        int bestCount = Integer.MAX_VALUE;
        for (int b = 1; b <= Math.max(1, 1 << (depth - 1)); b++) {
            Plan dry = new Plan(null, null, level, b);
            dry.eval(c, level - depth, 1);
            if (dry.products < bestCount) {
                bestCount = dry.products;
                best = b;
            }
        }
        return best;
    }

    /** Non-scalar products for a dense polynomial of this degree (with the best baby-step bound). */
    static int products(int degree) {
        double[] c = new double[degree + 1];
        for (int i = 0; i <= degree; i++) {
            c[i] = 1.0 / (i + 2); // generic: no cancellation in the splits
        }
        int level = depth(degree) + 1;
        Plan dry = new Plan(null, null, level, bestBabyBound(c, level));
        dry.eval(c, level - depth(degree), 1);
        return dry.products;
    }

    /** p(x) slot-wise for x in [-1, 1]; the result is depth(degree) levels lower, with scale {@code outScale}. */
    Ciphertext evaluate(Ciphertext x, ChebyshevPolynomial p, double outScale) {
        if (!p.onUnitInterval()) {
            throw new IllegalArgumentException("this evaluator takes polynomials on [-1, 1]");
        }
        double[] c = p.coefficients();
        if (Plan.degree(c) < 1) {
            throw new IllegalArgumentException("polynomial must have degree >= 1");
        }
        int depth = depth(c.length - 1);
        if (x.level() < depth) {
            throw new IllegalArgumentException("polynomial needs " + depth + " levels, ciphertext has " + x.level());
        }
        Plan plan = new Plan(ev, x, x.level(), bestBabyBound(c, x.level()));
        return plan.eval(c, x.level() - depth, outScale);
    }

    /** One evaluation, or (without an evaluator) a dry run that only counts products. */
    private static final class Plan {
        private final Evaluator ev;
        private final int top;
        private final int babyBound;
        private final Map<Integer, Ciphertext> powers = new HashMap<>();
        private final Set<Integer> counted = new HashSet<>();
        int products;

        Plan(Evaluator ev, Ciphertext x, int top, int babyBound) {
            this.ev = ev;
            this.top = top;
            this.babyBound = babyBound;
            powers.put(1, x);
        }

        private boolean dry() {
            return ev == null;
        }

        static int powerDepth(int i) {
            return i <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(i - 1);
        }

        static int degree(double[] c) {
            for (int i = c.length - 1; i >= 0; i--) {
                if (c[i] != 0) {
                    return i;
                }
            }
            return -1;
        }

        /** T_i at level top - powerDepth(i), computed on first use (counted in a dry run). */
        Ciphertext power(int i) {
            if (i == 1) {
                return powers.get(1);
            }
            if (dry()) {
                if (counted.add(i)) {
                    products++;
                    if (Integer.bitCount(i) == 1) {
                        power(i / 2);
                    } else {
                        int a = Integer.highestOneBit(i);
                        power(a);
                        power(i - a);
                        power(a - (i - a));
                    }
                }
                return null;
            }
            Ciphertext t = powers.get(i);
            if (t != null) {
                return t;
            }
            if (Integer.bitCount(i) == 1) {
                Ciphertext sq = ev.relinearize(ev.square(power(i / 2)));
                sq = ev.addConst(ev.multiplyInteger(sq, 2), -1);
                t = ev.rescale(sq);
            } else {
                int a = Integer.highestOneBit(i);
                Ciphertext ta = power(a);
                Ciphertext tb = power(i - a);
                int lvl = Math.min(ta.level(), tb.level());
                Ciphertext prod = ev.relinearize(ev.multiply(ev.dropLevel(ta, lvl), ev.dropLevel(tb, lvl)));
                prod = ev.multiplyInteger(prod, 2);
                Ciphertext td = ev.dropLevel(power(a - (i - a)), lvl);
                Ciphertext corr = Cts.withScale(ev.multiplyConst(td, 1.0, prod.scale() / td.scale()), prod.scale());
                t = ev.rescale(ev.sub(prod, corr));
            }
            powers.put(i, t);
            return t;
        }

        /** Σ c_i T_i (degree ≥ 1) at level {@code outLevel} with scale {@code scale}. */
        Ciphertext eval(double[] c, int outLevel, double scale) {
            int d = degree(c);
            if (d <= babyBound && powerDepth(d) <= top - outLevel - 1) {
                return leaf(c, d, outLevel, scale);
            }
            int m = Integer.highestOneBit(d);
            if (top - powerDepth(m) < outLevel + 1) {
                throw new IllegalStateException("no level left for T_" + m + " (polynomial deeper than planned)");
            }
            double[] q = new double[d - m + 1];
            double[] r = new double[m];
            q[0] = c[m];
            for (int j = 1; j <= d - m; j++) {
                q[j] = 2 * c[m + j];
            }
            for (int i = 0; i < m; i++) {
                r[i] = c[i] - (2 * m - i <= d ? c[2 * m - i] : 0);
            }
            int dq = degree(q);
            int dr = degree(r);
            if (dry()) {
                power(m);
                if (dq >= 1) {
                    products++;
                    eval(q, outLevel + 1, 1);
                }
                if (dr >= 1) {
                    eval(r, outLevel, 1);
                }
                return null;
            }
            Ciphertext tm = ev.dropLevel(power(m), outLevel + 1);
            double qScale = scale * ev.parameters().q(outLevel + 1) / tm.scale();
            Ciphertext prod;
            if (dq >= 1) {
                Ciphertext qct = eval(q, outLevel + 1, qScale);
                prod = ev.rescale(ev.relinearize(ev.multiply(qct, tm)));
            } else {
                prod = ev.rescale(ev.multiplyConst(tm, q[0], qScale));
            }
            prod = Cts.withScale(prod, scale);
            if (dr >= 1) {
                return ev.add(prod, eval(r, outLevel, scale));
            }
            return dr == 0 ? ev.addConst(prod, r[0]) : prod;
        }

        /** c_0 + Σ_{1≤i≤d} c_i T_i at outLevel with the given scale: constant products and one rescale. */
        private Ciphertext leaf(double[] c, int d, int outLevel, double scale) {
            if (dry()) {
                for (int i = 2; i <= d; i++) {
                    power(i);
                }
                return null;
            }
            int work = outLevel + 1;
            double target = scale * ev.parameters().q(work);
            Ciphertext acc = null;
            for (int i = 1; i <= d; i++) {
                if (c[i] == 0) {
                    continue;
                }
                Ciphertext t = ev.dropLevel(power(i), work);
                Ciphertext term = Cts.withScale(ev.multiplyConst(t, c[i], target / t.scale()), target);
                acc = acc == null ? term : ev.add(acc, term);
            }
            acc = ev.addConst(acc, c[0]);
            return Cts.withScale(ev.rescale(acc), scale);
        }
    }
}
