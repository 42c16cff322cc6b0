package org.glovebox.he.ckks.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * The special FFT of CKKS ({@link org.glovebox.he.math.SpecialFft}) factored into log2(n) sparse butterfly stages,
 * and the stages merged into a chosen number of levels (Cheon–Han–Kim–Kim–Song 2018; Chen–Chillotti–Song 2019).
 *
 * <p>Decoding is V·c = B_logn ⋯ B_1 · P · c, where P is the bit-reversal permutation and B_s the butterfly stage of
 * half-width 2^(s-1): a' = a + w·b, b' = a - w·b with w = exp(2πi·(5^j mod 2^(s+2))/2^(s+2)). Each stage has at most
 * three diagonals (offsets 0 and ±2^(s-1)). Homomorphic encoding (CoeffToSlot) applies B_1^-1 ⋯ B_logn^-1 and leaves
 * the coefficients in bit-reversed order; SlotToCoeff applies B_logn ⋯ B_1 to bit-reversed input. The permutation is
 * never evaluated: the modular reduction in between acts slot-wise.
 *
 * <p>A merged level of m consecutive stages starting at half-width h has diagonals at the multiples of h in
 * (-2^m·h, 2^m·h): at most 2^(m+1) - 1 of them.
 */
final class DftFactorization {
    private DftFactorization() {
    }

    /** w_j of stage s for j < 2^(s-1): exp(2πi·(5^j mod 4·len)/(4·len)) with len = 2^s. */
    private static double[][] twiddles(int s) {
        int lenq = 4 << s;
        int half = 1 << (s - 1);
        double[][] w = new double[half][];
        long p = 1;
        for (int j = 0; j < half; j++) {
            double angle = 2 * Math.PI * p / lenq;
            w[j] = new double[] {Math.cos(angle), Math.sin(angle)};
            p = (p * 5) % lenq;
        }
        return w;
    }

    /** Forward butterfly stage s (1 ≤ s ≤ log2 n) of the decoding FFT, as an n-slot diagonal matrix. */
    static DiagonalMatrix forwardStage(int n, int s) {
        int len = 1 << s;
        int half = len >> 1;
        DiagonalMatrix m = DiagonalMatrix.zero(n);
        double[][] w = twiddles(s);
        for (int i = 0; i < n; i += len) {
            for (int j = 0; j < half; j++) {
                int r1 = i + j;
                int r2 = r1 + half;
                // a' = a + w b
                m.addEntry(r1, 0, 1, 0);
                m.addEntry(r1, half, w[j][0], w[j][1]);
                // b' = a - w b
                m.addEntry(r2, -half, 1, 0);
                m.addEntry(r2, 0, -w[j][0], -w[j][1]);
            }
        }
        return m;
    }

    /** The inverse of {@link #forwardStage}: a = (a' + b')/2, b = (a' - b')·conj(w)/2. */
    static DiagonalMatrix inverseStage(int n, int s) {
        int len = 1 << s;
        int half = len >> 1;
        DiagonalMatrix m = DiagonalMatrix.zero(n);
        double[][] ws = twiddles(s);
        for (int j = 0; j < half; j++) {
            double[] w = ws[j];
            for (int i = 0; i < n; i += len) {
                int r1 = i + j;
                int r2 = r1 + half;
                m.addEntry(r1, 0, 0.5, 0);
                m.addEntry(r1, half, 0.5, 0);
                m.addEntry(r2, -half, 0.5 * w[0], -0.5 * w[1]);
                m.addEntry(r2, 0, -0.5 * w[0], 0.5 * w[1]);
            }
        }
        return m;
    }

    /**
     * Splits stages 1 … logn into {@code levels} groups of consecutive stages, as evenly as possible (the groups
     * of the highest stages, whose diagonals wrap around and are fewer, take the extra stages). Returns the groups
     * in CoeffToSlot order (highest stages first), each as {lowest stage, highest stage}.
     */
    static int[][] groups(int logn, int levels) {
        if (levels < 1 || levels > logn) {
            throw new IllegalArgumentException("levels must be in [1, log2(slots) = " + logn + "], got " + levels);
        }
        int[][] g = new int[levels][];
        int base = logn / levels;
        int extra = logn % levels;
        int hi = logn;
        for (int i = 0; i < levels; i++) {
            int size = base + (i < extra ? 1 : 0);
            g[i] = new int[] {hi - size + 1, hi};
            hi -= size;
        }
        return g;
    }

    /** CoeffToSlot matrices in the order they are applied: the last one outputs bit-reversed coefficients. */
    static List<DiagonalMatrix> coeffToSlot(int n, int levels) {
        int logn = Integer.numberOfTrailingZeros(n);
        List<DiagonalMatrix> out = new ArrayList<>();
        for (int[] g : groups(logn, levels)) {
            DiagonalMatrix m = DiagonalMatrix.identity(n);
            // stages hi (applied first) … lo: M = Binv_lo ⋯ Binv_hi
            for (int s = g[1]; s >= g[0]; s--) {
                m = inverseStage(n, s).multiply(m);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * SlotToCoeff matrices in the order they are applied (bit-reversed input). Their groups mirror those of
     * {@link #coeffToSlot} with the same level count, so both use the same rotations (and keys).
     */
    static List<DiagonalMatrix> slotToCoeff(int n, int levels) {
        int logn = Integer.numberOfTrailingZeros(n);
        int[][] g = groups(logn, levels);
        List<DiagonalMatrix> out = new ArrayList<>();
        for (int i = g.length - 1; i >= 0; i--) {
            DiagonalMatrix m = DiagonalMatrix.identity(n);
            for (int s = g[i][0]; s <= g[i][1]; s++) {
                m = forwardStage(n, s).multiply(m);
            }
            out.add(m);
        }
        return out;
    }
}
