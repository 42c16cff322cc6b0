package org.glovebox.he.ring;

import org.glovebox.he.math.Modulus;

/**
 * Recovers the centered integer x in (-Q/2, Q/2] from its residues modulo q_0 … q_{k-1}, as a double, exactly up to
 * double rounding: Garner's mixed-radix conversion in word arithmetic (no BigInteger), then Horner evaluation. Used
 * by decoding, where x is small compared with Q but may exceed one prime.
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
        if (count == 1) {
            long q = moduli[0].value();
            long v = poly.limb(0)[index];
            return v > (q >>> 1) ? (double) (v - q) : (double) v;
        }
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
