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
