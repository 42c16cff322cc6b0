package org.glovebox.he.ring;

import org.glovebox.he.math.Modulus;

/**
 * Fast RNS base conversion from basis A = {a_i} to basis B = {b_j} (Halevi–Polyakov–Shoup; Bajard et al.):
 * x mod B ≈ Σ_i [x_i · (A/a_i)^-1]_{a_i} · (A/a_i) mod b_j.
 *
 * <p>{@link #convert} returns x + u·A for a small integer 0 &lt;= u &lt; |A| (approximate); {@link #convertCentered}
 * removes u and returns the centered representative. Inputs are in coefficient form. Every product by a constant is a
 * Shoup multiplication, valid for any 64-bit input, so the inputs need not be smaller than the target primes.
 * Immutable and thread-safe.
 */
public final class BasisExtender {
    private final Modulus[] from;
    private final Modulus[] to;
    private final long[] hatInv;
    private final long[] hatInvShoup;
    /** hatModTo[j][i] = (A / a_i) mod b_j, with its Shoup quotient. */
    private final long[][] hatModTo;
    private final long[][] hatModToShoup;
    /** v·A mod b_j for v in [0, |A|], to subtract the overflow count of the centered conversion. */
    private final long[][] multiplesOfAModTo;
    private final double[] inverseFrom;

    public BasisExtender(Modulus[] from, Modulus[] to) {
        this.from = from.clone();
        this.to = to.clone();
        int k = from.length;
        hatInv = new long[k];
        hatInvShoup = new long[k];
        for (int i = 0; i < k; i++) {
            Modulus ai = from[i];
            long prod = 1;
            for (int t = 0; t < k; t++) {
                if (t != i) {
                    prod = ai.mul(prod, ai.reduce(from[t].value()));
                }
            }
            hatInv[i] = ai.inverse(prod);
            hatInvShoup[i] = ai.shoup(hatInv[i]);
        }
        hatModTo = new long[to.length][k];
        hatModToShoup = new long[to.length][k];
        for (int j = 0; j < to.length; j++) {
            Modulus bj = to[j];
            for (int i = 0; i < k; i++) {
                long prod = 1;
                for (int t = 0; t < k; t++) {
                    if (t != i) {
                        prod = bj.mul(prod, bj.reduceUnsigned(from[t].value()));
                    }
                }
                hatModTo[j][i] = prod;
                hatModToShoup[j][i] = bj.shoup(prod);
            }
        }
        multiplesOfAModTo = new long[to.length][k + 1];
        for (int j = 0; j < to.length; j++) {
            Modulus bj = to[j];
            long a = 1;
            for (Modulus ai : from) {
                a = bj.mul(a, bj.reduceUnsigned(ai.value()));
            }
            for (int v = 1; v <= k; v++) {
                multiplesOfAModTo[j][v] = bj.add(multiplesOfAModTo[j][v - 1], a);
            }
        }
        inverseFrom = new double[k];
        for (int i = 0; i < k; i++) {
            inverseFrom[i] = 1.0 / from[i].value();
        }
    }

    public int fromSize() {
        return from.length;
    }

    public int toSize() {
        return to.length;
    }

    /**
     * Converts. {@code in[i]} holds the residues modulo a_i (coefficient form); {@code out[j]} receives the residues
     * modulo b_j. {@code scratch} must hold at least {@code fromSize()} arrays of length N (overwritten).
     */
    public void convert(long[][] in, long[][] out, long[][] scratch) {
        scaleInputs(in, scratch);
        accumulate(scratch, out, null);
    }

    /**
     * Exact, centered conversion: {@code out} receives the residues of the representative of x mod A in
     * (-A/2, A/2] (Halevi–Polyakov–Shoup: the overflow count is round(Σ y_i / a_i), computed in floating point).
     * Unlike {@link #convert}, the result carries no u·A term, so dividing by A afterwards (ModDown, rescaling) adds
     * only the unbiased rounding error. {@code scratch} needs {@code fromSize() + 1} arrays of length N.
     */
    public void convertCentered(long[][] in, long[][] out, long[][] scratch) {
        prepareCentered(in, scratch);
        for (int j = 0; j < to.length; j++) {
            convertCenteredLimb(scratch, j, out[j]);
        }
    }

    /**
     * The first half of {@link #convertCentered}, shared by every output limb: the scaled inputs and the overflow
     * counts, written to {@code scratch[0 .. fromSize()]}. Then {@link #convertCenteredLimb} produces output limbs one
     * at a time (and from several threads at once), so a caller can transform each limb while it is still in cache.
     */
    public void prepareCentered(long[][] in, long[][] scratch) {
        int k = from.length;
        int n = in[0].length;
        scaleInputs(in, scratch);
        long[] overflow = scratch[k];
        if (k == 1) {
            long[] y = scratch[0];
            double inv = inverseFrom[0];
            for (int c = 0; c < n; c++) {
                overflow[c] = (long) Math.rint(0.0 + y[c] * inv);
            }
        } else if (k == 2) {
            long[] y0 = scratch[0];
            long[] y1 = scratch[1];
            double inv0 = inverseFrom[0];
            double inv1 = inverseFrom[1];
            for (int c = 0; c < n; c++) {
                overflow[c] = (long) Math.rint(0.0 + y0[c] * inv0 + y1[c] * inv1);
            }
        } else {
            // Summed in the order of the inputs, starting from 0.0, exactly as the specialised loops above.
            for (int c = 0; c < n; c++) {
                double f = 0.0;
                for (int i = 0; i < k; i++) {
                    f += scratch[i][c] * inverseFrom[i];
                }
                overflow[c] = (long) Math.rint(f);
            }
        }
    }

    /**
     * Output limb {@code j} (residues modulo b_j) of the centered conversion prepared in {@code scratch} by
     * {@link #prepareCentered}; {@code scratch} is only read.
     */
    public void convertCenteredLimb(long[][] scratch, int j, long[] z) {
        int k = from.length;
        if (k == 1) {
            accumulate1(scratch[0], j, z, scratch[1]);
        } else if (k == 2) {
            accumulate2(scratch[0], scratch[1], j, z, scratch[2]);
        } else {
            accumulateLimb(scratch, j, z, scratch[k]);
        }
    }

    /** y_i = x_i · (A/a_i)^-1 mod a_i. */
    private void scaleInputs(long[][] in, long[][] y) {
        for (int i = 0; i < from.length; i++) {
            Modulus ai = from[i];
            long w = hatInv[i];
            long ws = hatInvShoup[i];
            long[] x = in[i];
            long[] yi = y[i];
            for (int c = 0; c < x.length; c++) {
                yi[c] = ai.mulShoup(x[c], w, ws);
            }
        }
    }

    /** out_j = Σ_i y_i · (A/a_i) mod b_j for every output limb (the approximate conversion). */
    private void accumulate(long[][] y, long[][] out, long[] overflow) {
        for (int j = 0; j < to.length; j++) {
            accumulateLimb(y, j, out[j], overflow);
        }
    }

    /**
     * z = Σ_i y_i · (A/a_i) mod b_j (minus overflow·A when given). Each term is a lazy Shoup product in [0, 2b_j)
     * and the running sum is kept in [0, 2b_j), so the loops are flat and branch-free.
     */
    private void accumulateLimb(long[][] y, int j, long[] z, long[] overflow) {
        int k = from.length;
        Modulus bj = to[j];
        long b = bj.value();
        long twoB = 2 * b;
        long[] h = hatModTo[j];
        long[] hs = hatModToShoup[j];
        int n = z.length;
        long h0 = h[0];
        long hs0 = hs[0];
        long[] y0 = y[0];
        for (int c = 0; c < n; c++) {
            long v = y0[c];
            z[c] = v * h0 - Math.unsignedMultiplyHigh(v, hs0) * b;
        }
        for (int i = 1; i < k; i++) {
            long hi = h[i];
            long hsi = hs[i];
            long[] yi = y[i];
            for (int c = 0; c < n; c++) {
                long v = yi[c];
                long s = z[c] + (v * hi - Math.unsignedMultiplyHigh(v, hsi) * b) - twoB;
                z[c] = s + ((s >> 63) & twoB);
            }
        }
        if (overflow == null) {
            for (int c = 0; c < n; c++) {
                long s = z[c] - b;
                z[c] = s + ((s >> 63) & b);
            }
        } else {
            long[] mult = multiplesOfAModTo[j];
            for (int c = 0; c < n; c++) {
                long s = z[c] - b;
                s += (s >> 63) & b;
                s -= mult[(int) overflow[c]];
                z[c] = s + ((s >> 63) & b);
            }
        }
    }

    /** {@link #accumulateLimb} for one input with the overflow correction, in one pass (identical results). */
    private void accumulate1(long[] y0, int j, long[] z, long[] overflow) {
        long b = to[j].value();
        long h0 = hatModTo[j][0];
        long hs0 = hatModToShoup[j][0];
        long[] mult = multiplesOfAModTo[j];
        int n = z.length;
        for (int c = 0; c < n; c++) {
            long v0 = y0[c];
            long s = (v0 * h0 - Math.unsignedMultiplyHigh(v0, hs0) * b) - b;
            s += (s >> 63) & b;
            s -= mult[(int) overflow[c]];
            z[c] = s + ((s >> 63) & b);
        }
    }

    /**
     * {@link #accumulateLimb} for two inputs with the overflow correction, in one pass: the same operations in the
     * same order as the general loops (identical results), without storing the partial sums.
     */
    private void accumulate2(long[] y0, long[] y1, int j, long[] z, long[] overflow) {
        long b = to[j].value();
        long twoB = 2 * b;
        long h0 = hatModTo[j][0];
        long hs0 = hatModToShoup[j][0];
        long h1 = hatModTo[j][1];
        long hs1 = hatModToShoup[j][1];
        long[] mult = multiplesOfAModTo[j];
        int n = z.length;
        for (int c = 0; c < n; c++) {
            long v0 = y0[c];
            long v1 = y1[c];
            long s = (v0 * h0 - Math.unsignedMultiplyHigh(v0, hs0) * b)
                    + (v1 * h1 - Math.unsignedMultiplyHigh(v1, hs1) * b) - twoB;
            s += (s >> 63) & twoB;
            s -= b;
            s += (s >> 63) & b;
            s -= mult[(int) overflow[c]];
            z[c] = s + ((s >> 63) & b);
        }
    }
}
