package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;

/**
 * The untrusted party's side of covariance, correlation, per-group means and contingency tables: for pairs of
 * columns of an {@link EncryptedTable} it computes, with public material only, encrypted sums from which the key
 * holder finishes every pairwise statistic ({@link CrossProductDecryptor}, {@link CrossProducts}).
 *
 * <p>With u = x + i·m per slot (value and presence flag, {@link ColumnPacking}), the sums over all rows of
 * <ul>
 *   <li>u_a·u_b = (x_a x_b - m_a m_b) + i(x_a m_b + m_a x_b) and</li>
 *   <li>u_a·conj(u_b) = (x_a x_b + m_a m_b) + i(m_a x_b - x_a m_b)</li>
 * </ul>
 * give Σ x_a x_b, the joint count n_ab = Σ m_a m_b, and the sums of each column over the rows where the other is
 * present; for a ≠ b also
 * <ul>
 *   <li>|u_a|^2·u_b, whose imaginary part is Σ x_a^2 m_b + n_ab (and symmetrically), </li>
 * </ul>
 * the sums of squares over the jointly present rows that a pairwise-complete correlation needs. Each sum is folded
 * over all slots by rotations (inner sum). Needs the relinearization key, the conjugation key and the Galois keys of
 * {@link #requiredRotationSteps}; depth 2.
 */
public final class EncryptedCrossProducts {
    private final Evaluator ev;

    public EncryptedCrossProducts(Evaluator evaluator) {
        this.ev = evaluator;
    }

    /** The rotation steps whose Galois keys the computation needs (besides conjugation). */
    public static int[] requiredRotationSteps(Parameters params) {
        return Evaluator.innerSumSteps(1, params.maxSlots());
    }

    /** Every pair a &lt;= b of the table's columns. */
    public CrossProductResult compute(EncryptedTable table) {
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < table.names().size(); a++) {
            for (int b = a; b < table.names().size(); b++) {
                pairs.add(new int[] {a, b});
            }
        }
        return compute(table, pairs);
    }

    /** The given pairs (column indices; a == b gives a column's own sums). */
    public CrossProductResult compute(EncryptedTable table, List<int[]> pairs) {
        Parameters params = ev.parameters();
        if (!params.sameAs(table.parameters())) {
            throw new IllegalArgumentException("the table was encrypted under a different parameter set");
        }
        if (params.maxLevel() < 2) {
            throw new IllegalArgumentException("cross products need 2 levels; the parameter set has "
                    + params.maxLevel());
        }
        int cols = table.names().size();
        for (int[] p : pairs) {
            if (p.length != 2 || p[0] < 0 || p[1] < 0 || p[0] >= cols || p[1] >= cols) {
                throw new IllegalArgumentException("pair out of range: " + java.util.Arrays.toString(p));
            }
        }
        int slots = params.maxSlots();
        int batches = table.column(0).length;
        Ciphertext[][] conj = new Ciphertext[cols][];
        Ciphertext[][] norm = new Ciphertext[cols][];
        List<CrossProductResult.Pair> out = new ArrayList<>();
        for (int[] pair : pairs) {
            int a = pair[0];
            int b = pair[1];
            Ciphertext[] ua = table.column(a);
            Ciphertext[] ub = table.column(b);
            Ciphertext[] cb = conjugates(table, conj, b);
            Ciphertext prod = null;
            Ciphertext mixed = null;
            for (int k = 0; k < batches; k++) {
                Ciphertext p = ev.multiply(ua[k], ub[k]);
                Ciphertext c = ev.multiply(ua[k], cb[k]);
                prod = prod == null ? p : ev.add(prod, p);
                mixed = mixed == null ? c : ev.add(mixed, c);
            }
            Ciphertext sumProd = ev.innerSum(ev.rescale(ev.relinearize(prod)), 1, slots);
            Ciphertext sumMixed = ev.innerSum(ev.rescale(ev.relinearize(mixed)), 1, slots);
            Ciphertext squaresA = null;
            Ciphertext squaresB = null;
            if (a != b) {
                squaresA = weightedNorm(table, conj, norm, a, ub, batches, slots);
                squaresB = weightedNorm(table, conj, norm, b, ua, batches, slots);
            }
            out.add(new CrossProductResult.Pair(a, b, sumProd, sumMixed, squaresA, squaresB));
        }
        return new CrossProductResult(params, table.names(), out);
    }

    private Ciphertext[] conjugates(EncryptedTable table, Ciphertext[][] cache, int col) {
        if (cache[col] == null) {
            Ciphertext[] u = table.column(col);
            Ciphertext[] c = new Ciphertext[u.length];
            for (int k = 0; k < u.length; k++) {
                c[k] = ev.conjugate(u[k]);
            }
            cache[col] = c;
        }
        return cache[col];
    }

    /** Σ |u_a|^2·u_other over all rows, folded into every slot. */
    private Ciphertext weightedNorm(EncryptedTable table, Ciphertext[][] conj, Ciphertext[][] norm, int a,
            Ciphertext[] other, int batches, int slots) {
        if (norm[a] == null) {
            Ciphertext[] u = table.column(a);
            Ciphertext[] c = conjugates(table, conj, a);
            Ciphertext[] n = new Ciphertext[batches];
            for (int k = 0; k < batches; k++) {
                n[k] = ev.rescale(ev.relinearize(ev.multiply(u[k], c[k])));
            }
            norm[a] = n;
        }
        Ciphertext acc = null;
        for (int k = 0; k < batches; k++) {
            Ciphertext o = ev.dropLevel(other[k], norm[a][k].level());
            // Scales differ (one rescale apart): the product's scale is tracked exactly by the evaluator.
            Ciphertext t = ev.multiply(norm[a][k], o);
            acc = acc == null ? t : ev.add(acc, t);
        }
        return ev.innerSum(ev.rescale(ev.relinearize(acc)), 1, slots);
    }
}
