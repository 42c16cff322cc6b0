package org.glovebox.he.ckks.bootstrap;

import org.glovebox.he.ckks.ChebyshevPolynomial;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;

/**
 * Homomorphic modular reduction: slots u = y/Kc (y = t/q_0 = ε + I with I an integer, |ε| small) to sin(2πy) ≈ 2πε.
 *
 * <p>With r double angles, f(u) = cos(2π(Kc·u - 1/4)/2^r) and r steps c ← 2c² - 1 give cos(2π(y - 1/4)) = sin(2πy).
 * The shift is applied first (u - 1/(4Kc), free), which makes f even: f(u) = g(T_2(u)) with
 * g(w) = cos(ω·sqrt((w + 1)/2)), ω = 2πKc/2^r, an entire function of w interpolated at Chebyshev nodes. Levels:
 * one for T_2, ceil(log2(deg g + 1)) for g, one per double angle.
 *
 * <p>Scales: the input has scale sqrt(q_E·q_{E-1}) ({@link #inputScale}, produced exactly by CoeffToSlot), so that
 * T_2(u) and all the Chebyshev powers stay near the prime size (squaring maps S to S²/q; an input scale well below q
 * would halve the powers' log-scales at each squaring). The output scale T is planned backwards: the double angle at
 * level l maps S to S²/q_l, so its input needs sqrt(T·q_l), and so on up to the interpolant, whose leaves encode
 * their constants to land exactly there.
 */
final class EvalMod {
    private final BootstrappingParameters bp;
    private final double kc;
    private final ChebyshevPolynomial g;
    /** arcsin(a·x) on [-1, 1] (odd), or null; a bounds |sin(2πy)|. */
    private final ChebyshevPolynomial asin;
    private final double asinRange;

    EvalMod(BootstrappingParameters bp) {
        this.bp = bp;
        this.kc = bp.k() + 0.5;
        double omega = 2 * Math.PI * kc / Math.scalb(1.0, bp.doubleAngles());
        this.g = ChebyshevPolynomial.interpolate(w -> Math.cos(omega * Math.sqrt(Math.max(0, (w + 1) / 2))),
                bp.cosineDegree(), -1, 1);
        if (bp.arcsineDegree() > 0) {
            // |2π(y - round(y))| ≤ 2π·2^-ratio·|value|; a margin of 4 covers values up to 4 in modulus.
            double a = Math.sin(Math.min(Math.PI / 2, 2 * Math.PI * 4 / Math.scalb(1.0, bp.logMessageRatio())));
            this.asinRange = a;
            double[] c = ChebyshevPolynomial.interpolate(x -> Math.asin(a * x), bp.arcsineDegree(), -1, 1)
                    .coefficients();
            for (int i = 0; i < c.length; i += 2) {
                c[i] = 0; // odd function: drop rounding residue in the even coefficients
            }
            this.asin = new ChebyshevPolynomial(c, -1, 1);
        } else {
            this.asin = null;
            this.asinRange = 1;
        }
    }

    private int asinDepth() {
        return asin == null ? 0 : ChebyshevEvaluator.depth(asin.degree());
    }

    /** Scale the double angles deliver: the planned output, or the arcsine's input scale times its range. */
    private double doubleAngleOutputScale() {
        if (asin == null) {
            return bp.evalModScale();
        }
        Parameters p = bp.parameters();
        int level = bp.evalModStart() - 1 - g.depth() - bp.doubleAngles(); // arcsine input level
        // Values v/a at scale sqrt(q_l·q_(l-1)) keep the arcsine's powers at prime scale; relabelling by a is free.
        return Math.sqrt((double) p.q(level) * p.q(level - 1)) / asinRange;
    }

    /** The half-width of the interval the input slots are divided by: u = y / Kc. */
    double kc() {
        return kc;
    }

    ChebyshevPolynomial polynomial() {
        return g;
    }

    /**
     * Plaintext twin of {@link #apply}: sin(2πy) as the circuit approximates it, from u = y/Kc (with the arcsine
     * correction, 2π(y - round(y))).
     */
    double applyPlain(double u) {
        double v = u - 1 / (4 * kc);
        double c = g.evaluate(2 * v * v - 1);
        for (int i = 0; i < bp.doubleAngles(); i++) {
            c = 2 * c * c - 1;
        }
        return asin == null ? c : asin.evaluate(c / asinRange);
    }

    /** Scale of the cosine interpolant's output (the input of the first double angle), planned backwards. */
    double polynomialOutputScale() {
        Parameters p = bp.parameters();
        int out = bp.evalModStart() - 1 - g.depth(); // level where the double angles start
        double s = doubleAngleOutputScale();
        for (int i = bp.doubleAngles() - 1; i >= 0; i--) {
            s = Math.sqrt(s * p.q(out - i));
        }
        return s;
    }

    /**
     * Scale the input ciphertext (at level {@link BootstrappingParameters#evalModStart()}) must carry: such that
     * T_2(u) lands on the scale of the next prime, which keeps the scales of the Chebyshev powers steady (each
     * squaring maps S to S²/q); the interpolant's leaves then land on {@link #polynomialOutputScale()}.
     */
    double inputScale() {
        Parameters p = bp.parameters();
        int level = bp.evalModStart();
        return Math.sqrt((double) p.q(level - 1) * p.q(level));
    }

    /** sin(2πy) in every slot; the result is {@link BootstrappingParameters#evalModLevels()} levels lower. */
    Ciphertext apply(Evaluator ev, Ciphertext ct) {
        if (ct.level() != bp.evalModStart()) {
            throw new IllegalArgumentException("EvalMod starts at level " + bp.evalModStart() + ", got " + ct.level());
        }
        Ciphertext u = ev.addConst(ct, -1 / (4 * kc));
        // w = T_2(u) = 2u² - 1
        Ciphertext w = ev.relinearize(ev.square(u));
        w = ev.multiplyInteger(w, 2);
        w = ev.addConst(w, -1);
        w = ev.rescale(w);
        Ciphertext c = new ChebyshevEvaluator(ev).evaluate(w, g, polynomialOutputScale());
        for (int i = 0; i < bp.doubleAngles(); i++) {
            Ciphertext sq = ev.relinearize(ev.square(c));
            sq = ev.multiplyInteger(sq, 2);
            sq = ev.addConst(sq, -1);
            c = ev.rescale(sq);
        }
        if (asin != null) {
            // values sin(2πy)/a at scale S·a, then arcsin(a·x) = 2π(y - round(y)) at the planned output scale
            c = Cts.withScale(c, c.scale() * asinRange);
            c = new ChebyshevEvaluator(ev).evaluate(c, asin, bp.evalModScale());
        }
        return c;
    }
}
