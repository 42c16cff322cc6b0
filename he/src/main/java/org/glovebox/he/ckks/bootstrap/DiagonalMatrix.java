package org.glovebox.he.ckks.bootstrap;

import java.util.Map;
import java.util.TreeMap;

/**
 * A complex slots-by-slots matrix stored by its non-zero generalized diagonals: M·x = Σ_k d_k ⊙ rot_k(x), where
 * rot_k(x)[r] = x[(r + k) mod m] (a left rotation, as {@link org.glovebox.he.ckks.Evaluator#rotate}) and d_k[r] =
 * M[r][(r + k) mod m]. Offsets are kept in [0, m). Plain double arithmetic: this is the plaintext side of the
 * homomorphic DFT (building, merging and checking the factors). Immutable after construction.
 */
final class DiagonalMatrix {
    private final int slots;
    /** offset in [0, slots) -> {re, im}. */
    private final TreeMap<Integer, double[][]> diagonals;

    private DiagonalMatrix(int slots, TreeMap<Integer, double[][]> diagonals) {
        this.slots = slots;
        this.diagonals = diagonals;
    }

    /** A builder-style empty matrix; fill with {@link #addEntry}. */
    static DiagonalMatrix zero(int slots) {
        return new DiagonalMatrix(slots, new TreeMap<>());
    }

    static DiagonalMatrix identity(int slots) {
        DiagonalMatrix m = zero(slots);
        for (int r = 0; r < slots; r++) {
            m.addEntry(r, 0, 1, 0);
        }
        return m;
    }

    /** The (row, diagonal offset) entry += re + i·im; only used while building. */
    void addEntry(int row, int offset, double re, double im) {
        int k = Math.floorMod(offset, slots);
        double[][] d = diagonals.computeIfAbsent(k, x -> new double[2][slots]);
        d[0][row] += re;
        d[1][row] += im;
    }

    int slots() {
        return slots;
    }

    /** The offsets of the stored diagonals, in [0, slots). */
    java.util.Set<Integer> offsets() {
        return diagonals.keySet();
    }

    /** Diagonal k as {re, im} (live arrays: do not modify). */
    double[][] diagonal(int k) {
        return diagonals.get(k);
    }

    Map<Integer, double[][]> diagonals() {
        return diagonals;
    }

    /** this · right: (Σ_a diag(α_a) R^a)(Σ_b diag(β_b) R^b) = Σ diag(α_a ⊙ rot_a(β_b)) R^{a+b}. */
    DiagonalMatrix multiply(DiagonalMatrix right) {
        if (right.slots != slots) {
            throw new IllegalArgumentException("matrix sizes differ");
        }
        TreeMap<Integer, double[][]> out = new TreeMap<>();
        for (var ea : diagonals.entrySet()) {
            int a = ea.getKey();
            double[] ar = ea.getValue()[0];
            double[] ai = ea.getValue()[1];
            for (var eb : right.diagonals.entrySet()) {
                int b = eb.getKey();
                double[] br = eb.getValue()[0];
                double[] bi = eb.getValue()[1];
                double[][] d = out.computeIfAbsent((a + b) % slots, x -> new double[2][slots]);
                for (int r = 0; r < slots; r++) {
                    int s = r + a;
                    if (s >= slots) {
                        s -= slots;
                    }
                    double xr = ar[r];
                    double xi = ai[r];
                    double yr = br[s];
                    double yi = bi[s];
                    d[0][r] += xr * yr - xi * yi;
                    d[1][r] += xr * yi + xi * yr;
                }
            }
        }
        out.values().removeIf(DiagonalMatrix::isZero);
        return new DiagonalMatrix(slots, out);
    }

    private static boolean isZero(double[][] d) {
        for (int r = 0; r < d[0].length; r++) {
            if (d[0][r] != 0 || d[1][r] != 0) {
                return false;
            }
        }
        return true;
    }

    /** c·M for a real constant c. */
    DiagonalMatrix scale(double c) {
        TreeMap<Integer, double[][]> out = new TreeMap<>();
        for (var e : diagonals.entrySet()) {
            double[][] d = new double[2][slots];
            for (int r = 0; r < slots; r++) {
                d[0][r] = c * e.getValue()[0][r];
                d[1][r] = c * e.getValue()[1][r];
            }
            out.put(e.getKey(), d);
        }
        return new DiagonalMatrix(slots, out);
    }

    /** diag(mask)·M: row r multiplied by mask[r] (complex). */
    DiagonalMatrix scaleRows(double[] maskRe, double[] maskIm) {
        TreeMap<Integer, double[][]> out = new TreeMap<>();
        for (var e : diagonals.entrySet()) {
            double[][] d = new double[2][slots];
            double[] xr = e.getValue()[0];
            double[] xi = e.getValue()[1];
            for (int r = 0; r < slots; r++) {
                d[0][r] = xr[r] * maskRe[r] - xi[r] * maskIm[r];
                d[1][r] = xr[r] * maskIm[r] + xi[r] * maskRe[r];
            }
            out.put(e.getKey(), d);
        }
        out.values().removeIf(DiagonalMatrix::isZero);
        return new DiagonalMatrix(slots, out);
    }

    /**
     * The same operator in a view of {@code bigger} slots (a multiple of this size) acting on inputs that repeat
     * with period {@code slots()}: every diagonal keeps its offset and is repeated. Sparse packing uses it to
     * apply an n-slot matrix to a ciphertext viewed with 2n slots.
     */
    DiagonalMatrix extendPeriodic(int bigger) {
        if (bigger % slots != 0) {
            throw new IllegalArgumentException(bigger + " is not a multiple of " + slots);
        }
        TreeMap<Integer, double[][]> out = new TreeMap<>();
        for (var e : diagonals.entrySet()) {
            double[][] d = new double[2][bigger];
            for (int r = 0; r < bigger; r++) {
                d[0][r] = e.getValue()[0][r % slots];
                d[1][r] = e.getValue()[1][r % slots];
            }
            out.put(e.getKey(), d);
        }
        return new DiagonalMatrix(bigger, out);
    }

    /** M·x for a complex vector (plaintext twin of the homomorphic transform). */
    double[][] apply(double[] re, double[] im) {
        double[] or = new double[slots];
        double[] oi = new double[slots];
        for (var e : diagonals.entrySet()) {
            int k = e.getKey();
            double[] dr = e.getValue()[0];
            double[] di = e.getValue()[1];
            for (int r = 0; r < slots; r++) {
                int s = (r + k) % slots;
                or[r] += dr[r] * re[s] - di[r] * im[s];
                oi[r] += dr[r] * im[s] + di[r] * re[s];
            }
        }
        return new double[][] {or, oi};
    }

    /** Largest |entry|. */
    double maxAbs() {
        double m = 0;
        for (double[][] d : diagonals.values()) {
            for (int r = 0; r < slots; r++) {
                m = Math.max(m, Math.hypot(d[0][r], d[1][r]));
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "DiagonalMatrix[" + slots + " slots, " + diagonals.size() + " diagonals]";
    }
}
