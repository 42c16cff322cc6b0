package org.glovebox.he.ring;

import org.glovebox.he.math.Modulus;

/**
 * Recovers the centered integer x in (-Q/2, Q/2] from its residues modulo q_0 … q_{k-1}, as a double, exactly up to
 * double rounding: when |x| &lt; q_0/2 (the usual decoded value) from the first residue, confirmed by the others;
 * otherwise by Garner's mixed-radix conversion in word arithmetic (no BigInteger), then Horner evaluation. Used by
 * decoding, where x is small compared with Q but may exceed one prime.
 */
public final class CrtReconstructor {
    private final Modulus[] moduli;
    /** inv[i][j] = q_j^-1 mod q_i for j &lt; i. */
    private final long[][] inv;
    private final long[][] invShoup;

    public CrtReconstructor(Modulus[] moduli) {
        this.moduli = moduli.clone();
        int k = moduli.length;
        inv = new long[k][];
        invShoup = new long[k][];
        for (int i = 0; i < k; i++) {
            inv[i] = new long[i];
            invShoup[i] = new long[i];
            for (int j = 0; j < i; j++) {
                inv[i][j] = moduli[i].inverse(moduli[i].reduceUnsigned(moduli[j].value()));
                invShoup[i][j] = moduli[i].shoup(inv[i][j]);
            }
        }
    }

    public int size() {
        return moduli.length;
    }

    /**
     * The centered value of the coefficient at {@code index} of the first {@code count} limbs; {@code digits} is
     * scratch of length &gt;= count.
     */
    public double centered(RnsPoly poly, int count, int index, long[] digits) {
        long q = moduli[0].value();
        long v = poly.limb(0)[index];
        long x0 = v > (q >>> 1) ? v - q : v;
        if (count == 1) {
            return x0;
        }
        // Decoded values are usually far below q_0/2: then x = x0, which the other residues confirm (one reduction
        // per prime instead of Garner's k²/2 steps). Exact: if every residue matches, x0 ≡ x mod Q with both in
        // (-Q/2, Q/2], so x0 = x; if |x| < q_0/2 every residue matches.
        if (smallerThanFirstPrime(poly, count, index, x0)) {
            return x0;
        }
        return centeredByGarner(poly, count, index, digits);
    }

    private boolean smallerThanFirstPrime(RnsPoly poly, int count, int index, long x0) {
        long magnitude = Math.abs(x0);
        for (int i = 1; i < count; i++) {
            Modulus m = moduli[i];
            long r = m.reduceUnsigned(magnitude);
            if (poly.limb(i)[index] != (x0 < 0 ? m.neg(r) : r)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #centered} by Garner's conversion alone, whatever the magnitude (package-private: tests compare). */
    double centeredByGarner(RnsPoly poly, int count, int index, long[] digits) {
        mixedRadix(poly, count, index, digits, false);
        long top = digits[count - 1];
        long half = (moduli[count - 1].value() - 1) >>> 1;
        if (top < half) {
            return horner(digits, count);
        }
        if (top > half) {
            mixedRadix(poly, count, index, digits, true);
            return -horner(digits, count);
        }
        // Top digit at the midpoint: x > Q/2 exactly when the mixed-radix digits of x exceed those of Q - x.
        long[] positive = digits.clone();
        mixedRadix(poly, count, index, digits, true);
        for (int i = count - 1; i >= 0; i--) {
            if (positive[i] != digits[i]) {
                return positive[i] < digits[i] ? horner(positive, count) : -horner(digits, count);
            }
        }
        return horner(positive, count);
    }

    private void mixedRadix(RnsPoly poly, int count, int index, long[] v, boolean negate) {
        for (int i = 0; i < count; i++) {
            Modulus m = moduli[i];
            long t = poly.limb(i)[index];
            if (negate) {
                t = m.neg(t);
            }
            long[] ci = inv[i];
            long[] cs = invShoup[i];
            for (int j = 0; j < i; j++) {
                t = m.sub(t, m.reduceUnsigned(v[j]));
                t = m.mulShoup(t, ci[j], cs[j]);
            }
            v[i] = t;
        }
    }

    private double horner(long[] v, int count) {
        double r = v[count - 1];
        for (int i = count - 2; i >= 0; i--) {
            r = r * moduli[i].value() + v[i];
        }
        return r;
    }
}
