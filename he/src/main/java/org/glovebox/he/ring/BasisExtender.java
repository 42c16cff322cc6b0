package org.glovebox.he.ring;

import org.glovebox.he.math.Modulus;

/**
 * Fast RNS base conversion from basis A = {a_i} to basis B = {b_j} (Halevi–Polyakov–Shoup; Bajard et al.):
 * x mod B ≈ Σ_i [x_i · (A/a_i)^-1]_{a_i} · (A/a_i) mod b_j.
 *
 * <p>The result equals x + u·A for a small integer 0 &lt;= u &lt; |A| (the conversion is approximate); hybrid key
 * switching absorbs that term as noise. Inputs are in coefficient form. Products are accumulated in 128 bits and
 * reduced once per output. Immutable and thread-safe.
 */
public final class BasisExtender {
    private final Modulus[] from;
    private final Modulus[] to;
    private final long[] hatInv;
    private final long[] hatInvShoup;
    /** hatModTo[j][i] = (A / a_i) mod b_j. */
    private final long[][] hatModTo;
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

    /**
     * Exact, centered conversion: {@code out} receives the residues of the representative of x mod A in
     * (-A/2, A/2] (Halevi–Polyakov–Shoup: the overflow count is round(Σ y_i / a_i), computed in floating point).
     * Unlike {@link #convert}, the result carries no u·A term, so dividing by A afterwards (ModDown, rescaling) adds
     * only the unbiased rounding error. {@code scratch} needs {@code fromSize() + 1} arrays of length N.
     */
    public void convertCentered(long[][] in, long[][] out, long[][] scratch) {
        int k = from.length;
        int n = in[0].length;
        long[] overflow = scratch[k];
        for (int i = 0; i < k; i++) {
            Modulus ai = from[i];
            long w = hatInv[i];
            long ws = hatInvShoup[i];
            long[] x = in[i];
            long[] y = scratch[i];
            for (int c = 0; c < n; c++) {
                y[c] = ai.mulShoup(x[c], w, ws);
            }
        }
        for (int c = 0; c < n; c++) {
            double f = 0;
            for (int i = 0; i < k; i++) {
                f += scratch[i][c] * inverseFrom[i];
            }
            overflow[c] = (long) Math.rint(f);
        }
        for (int j = 0; j < to.length; j++) {
            Modulus bj = to[j];
            long[] h = hatModTo[j];
            long[] mult = multiplesOfAModTo[j];
            long[] z = out[j];
            for (int c = 0; c < n; c++) {
                long hi = 0;
                long lo = 0;
                for (int i = 0; i < k; i++) {
                    long v = scratch[i][c];
                    long hv = h[i];
                    long pl = v * hv;
                    lo += pl;
                    hi += Math.multiplyHigh(v, hv) + (Long.compareUnsigned(lo, pl) < 0 ? 1 : 0);
                }
                z[c] = bj.sub(bj.reduce128(hi, lo), mult[(int) overflow[c]]);
            }
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
     * modulo b_j. {@code scratch} must hold {@code fromSize()} arrays of length N (overwritten).
     */
    public void convert(long[][] in, long[][] out, long[][] scratch) {
        int k = from.length;
        int n = in[0].length;
        for (int i = 0; i < k; i++) {
            Modulus ai = from[i];
            long w = hatInv[i];
            long ws = hatInvShoup[i];
            long[] x = in[i];
            long[] y = scratch[i];
            for (int c = 0; c < n; c++) {
                y[c] = ai.mulShoup(x[c], w, ws);
            }
        }
        for (int j = 0; j < to.length; j++) {
            Modulus bj = to[j];
            long[] h = hatModTo[j];
            long[] z = out[j];
            if (k == 1) {
                long h0 = h[0];
                long[] y0 = scratch[0];
                for (int c = 0; c < n; c++) {
                    long v = y0[c];
                    z[c] = bj.reduce128(Math.multiplyHigh(v, h0), v * h0);
                }
                continue;
            }
            for (int c = 0; c < n; c++) {
                long hi = 0;
                long lo = 0;
                for (int i = 0; i < k; i++) {
                    long v = scratch[i][c];
                    long hv = h[i];
                    long pl = v * hv;
                    long ph = Math.multiplyHigh(v, hv);
                    lo += pl;
                    hi += ph + (Long.compareUnsigned(lo, pl) < 0 ? 1 : 0);
                }
                z[c] = bj.reduce128(hi, lo);
            }
        }
    }
}
