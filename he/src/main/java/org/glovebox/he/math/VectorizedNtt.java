package org.glovebox.he.math;

/**
 * The negacyclic NTT of {@link Ntt} for primes below 2^50, computed in double-precision floating point in a layout
 * that HotSpot's auto-vectorizer turns into SIMD code (AVX2/AVX-512 on x86, NEON/SVE on ARM). Same butterflies,
 * same orders; every output is the canonical residue in [0, q), so results are identical to the integer transforms
 * followed by a full reduction.
 *
 * <h2>Why floating point</h2>
 * Java has no vector 64-bit high multiply, so the integer Shoup butterfly runs one lane at a time. A modular product
 * y·w mod q is also exact in doubles when q is small enough: h = fl(y·w) and l = fma(y, w, -h) give y·w = h + l
 * exactly (the error of a rounded product is representable), k = rint(y·(w/q)) estimates the quotient, and
 * r = fma(-k, q, h) + l = y·w - k·q is computed without rounding because it is an integer below 2^53. Bound: with
 * |y| ≤ B the estimate is within 1/2 + 2·B·2^-53 of y·w/q: |r| ≤ 3q/4 for B ≤ 2^50, |r| ≤ q for B ≤ 2^51.
 * <ul>
 * <li>Forward (Cooley–Tukey) butterflies x ± r grow the bound by 3q/4 per stage. For q < 2^45 ("narrow") inputs below
 * 16q and at most 17 stages stay below 16q + 13q < 2^50 without further reduction. For 2^45 ≤ q < 2^50 ("wide") the
 * inputs are first reduced to |x| ≤ q/2 and every butterfly also reduces x the same way (x - rint(x/q)·q), so values
 * stay below q/2 + 0.83q < 2^50.5 (the estimate error at that size is at most 1/3).</li>
 * <li>Inverse (Gentleman–Sande) butterflies reduce their sum x + y with rint((x + y)/q) and multiply the difference
 * (below 2q ≤ 2^51) by the twiddle, so every value stays below q.</li>
 * </ul>
 * Every intermediate value is therefore an integer below 2^53, represented exactly.
 *
 * <h2>Why this layout</h2>
 * The auto-vectorizer packs a loop only when it can prove that its loads and stores do not overlap; a butterfly
 * between a[j] and a[j + t] of one array fails that proof (t is unknown at compile time). Here the N values are held
 * as R = 2^floor(logN/2) rows of C = N/R doubles: a stage of distance t ≥ C pairs two whole rows (two distinct
 * arrays, one twiddle). The stages of distance t < C work on the transpose, C columns of R doubles, where a stage
 * pairs two whole columns, with the twiddles of that stage stored in column order so they are read contiguously as
 * well. Two scalar copies per transform (a transpose, and a gather between natural and column order) are the price:
 * at N = 2^14 a transform takes 35-48 % of the integer one's time (JMH medians, docs/benchmarks.md).
 *
 * <p>Immutable and thread-safe; the working rows are per thread and ring size.
 */
final class VectorizedNtt {
    /** Moduli below 2^50 keep every intermediate value an exact double (class comment). */
    static final int MAX_MODULUS_BITS = 50;
    /** Below 2^45 the forward butterflies need no reduction of x (class comment). */
    static final int NARROW_MODULUS_BITS = 45;
    /** Smallest ring with rows and columns of at least 8 values (one AVX-512 vector of doubles). */
    static final int MIN_LOG_N = 6;
    private static final int MAX_LOG_N = 17;

    private final int rows;
    private final int cols;
    private final long q;
    private final double qd;
    private final double qInv;
    /** q ≥ 2^45: forward inputs and every forward butterfly's x reduced. */
    private final boolean wide;
    private final Twiddles forward;
    private final Twiddles inverse;
    /** 1/N mod q, applied by the inverse transform's output pass. */
    private final double nInv;
    private final double nInvQ;
    private final int logN;
    /**
     * One thread's working values per ring size, shared by the transforms of every prime of that size (a transform
     * uses them only during one call, and never calls another), so a thread holds 3·N words per ring size, not per
     * prime.
     */
    private static final ThreadLocal<Buffers[]> WORK = ThreadLocal.withInitial(() -> new Buffers[MAX_LOG_N + 1]);

    /** One thread's working values: by row, by column, and reduced by column. */
    private record Buffers(double[][] byRow, double[][] byCol, long[][] longs) {
    }

    private Buffers buffers() {
        Buffers[] perSize = WORK.get();
        Buffers b = perSize[logN];
        if (b == null) {
            b = new Buffers(new double[rows][cols], new double[cols][rows], new long[cols][rows]);
            perSize[logN] = b;
        }
        return b;
    }

    /**
     * The twiddles w and w/q of one direction: row stages at [m + i] (m < R), column stages (distance t < C) at
     * [log2 t][g][r] for group g = c / 2t of column positions and row r (one array per group: the vectorizer packs
     * loads at a loop-invariant offset less reliably).
     */
    private record Twiddles(double[] rowW, double[] rowWq, double[][][] colW, double[][][] colWq) {
    }

    /** True if a transform of this size and modulus can use this class. */
    static boolean supports(long q, int logN) {
        return logN >= MIN_LOG_N && logN <= MAX_LOG_N && q < (1L << MAX_MODULUS_BITS);
    }

    /**
     * @param rootPowers the bit-reversed powers of psi of {@link Ntt} (index m + i for stage m, group i)
     * @param invRootPowers the same for psi^-1
     * @param nInverse 1/N mod q
     */
    VectorizedNtt(long q, int logN, long[] rootPowers, long[] invRootPowers, long nInverse) {
        if (!supports(q, logN)) {
            throw new IllegalArgumentException("floating-point NTT needs q < 2^" + MAX_MODULUS_BITS + " and log N in ["
                    + MIN_LOG_N + ", " + MAX_LOG_N + "]");
        }
        this.rows = 1 << (logN / 2);
        this.cols = (1 << logN) / rows;
        this.q = q;
        this.qd = q;
        this.qInv = 1.0 / q;
        this.wide = q >= (1L << NARROW_MODULUS_BITS);
        this.forward = twiddles(rootPowers);
        this.inverse = twiddles(invRootPowers);
        this.nInv = nInverse;
        this.nInvQ = nInv / qd;
        this.logN = logN;
    }

    private Twiddles twiddles(long[] powers) {
        int n = rows * cols;
        double[] rowW = new double[rows];
        double[] rowWq = new double[rows];
        for (int k = 1; k < rows; k++) {
            rowW[k] = powers[k];
            rowWq[k] = rowW[k] / qd;
        }
        int colStages = Integer.numberOfTrailingZeros(cols);
        double[][][] colW = new double[colStages][][];
        double[][][] colWq = new double[colStages][][];
        for (int lt = 0; lt < colStages; lt++) {
            int t = 1 << lt;
            int m = n / (2 * t);
            int groupsPerRow = cols / (2 * t);
            colW[lt] = new double[groupsPerRow][rows];
            colWq[lt] = new double[groupsPerRow][rows];
            for (int g = 0; g < groupsPerRow; g++) {
                for (int r = 0; r < rows; r++) {
                    colW[lt][g][r] = powers[m + r * groupsPerRow + g];
                    colWq[lt][g][r] = colW[lt][g][r] / qd;
                }
            }
        }
        return new Twiddles(rowW, rowWq, colW, colWq);
    }

    /** Forward transform in place: input in [0, 4q) (below 16q for q < 2^45), output in [0, q). */
    void forward(long[] a) {
        Buffers buffers = buffers();
        double[][] byRow = buffers.byRow();
        double[][] byCol = buffers.byCol();
        for (int r = 0; r < rows; r++) {
            double[] row = byRow[r];
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                row[c] = a[base + c];
            }
            if (wide) {
                balance(row, qd, qInv);
            }
        }
        // Stages of distance t >= C: butterflies between rows r and r + t/C, twiddle w[m + i] for group i.
        double[] rowW = forward.rowW();
        double[] rowWq = forward.rowWq();
        for (int m = 1, half = rows >> 1; half >= 1; m <<= 1, half >>= 1) {
            for (int i = 0; i < m; i++) {
                double w = rowW[m + i];
                double wq = rowWq[m + i];
                int r0 = 2 * i * half;
                for (int r = r0; r < r0 + half; r++) {
                    if (wide) {
                        ctButterfliesWide(byRow[r], byRow[r + half], w, wq, qd, qInv);
                    } else {
                        ctButterflies(byRow[r], byRow[r + half], w, wq, qd);
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            double[] row = byRow[r];
            for (int c = 0; c < cols; c++) {
                byCol[c][r] = row[c];
            }
        }
        // Stages of distance t < C: butterflies between columns c and c + t, one twiddle per row.
        for (int lt = Integer.numberOfTrailingZeros(cols) - 1; lt >= 0; lt--) {
            int t = 1 << lt;
            for (int g = 0, c0 = 0; c0 < cols; g++, c0 += 2 * t) {
                double[] w = forward.colW()[lt][g];
                double[] wq = forward.colWq()[lt][g];
                for (int c = c0; c < c0 + t; c++) {
                    if (wide) {
                        ctButterfliesWide(byCol[c], byCol[c + t], w, wq, qd, qInv);
                    } else {
                        ctButterflies(byCol[c], byCol[c + t], w, wq, qd);
                    }
                }
            }
        }
        // Reduced and converted column by column (vectorized), then gathered into natural order (a plain copy).
        long[][] reduced = buffers.longs();
        for (int c = 0; c < cols; c++) {
            reduce(byCol[c], reduced[c]);
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                a[base + c] = reduced[c][r];
            }
        }
    }

    /**
     * Inverse transform in place, including the factor 1/N: input in [0, 2q) (the differences then stay below
     * 2q ≤ 2^51, class comment), output in [0, q).
     */
    void inverse(long[] a) {
        Buffers buffers = buffers();
        double[][] byRow = buffers.byRow();
        double[][] byCol = buffers.byCol();
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                byCol[c][r] = a[base + c];
            }
        }
        // Stages of distance t < C first (t = 1, 2, …): between columns c and c + t, one twiddle per row.
        int colStages = Integer.numberOfTrailingZeros(cols);
        for (int lt = 0; lt < colStages; lt++) {
            int t = 1 << lt;
            for (int g = 0, c0 = 0; c0 < cols; g++, c0 += 2 * t) {
                double[] w = inverse.colW()[lt][g];
                double[] wq = inverse.colWq()[lt][g];
                for (int c = c0; c < c0 + t; c++) {
                    gsButterflies(byCol[c], byCol[c + t], w, wq, qd, qInv);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            double[] row = byRow[r];
            for (int c = 0; c < cols; c++) {
                row[c] = byCol[c][r];
            }
        }
        // Stages of distance t >= C: between rows r and r + t/C, twiddle w[m + i] for group i.
        double[] rowW = inverse.rowW();
        double[] rowWq = inverse.rowWq();
        for (int m = rows >> 1, half = 1; m >= 1; m >>= 1, half <<= 1) {
            for (int i = 0; i < m; i++) {
                double w = rowW[m + i];
                double wq = rowWq[m + i];
                int r0 = 2 * i * half;
                for (int r = r0; r < r0 + half; r++) {
                    gsButterflies(byRow[r], byRow[r + half], w, wq, qd, qInv);
                }
            }
        }
        // Times 1/N, reduced and converted row by row: rows are in natural order, so no gather.
        long qq = q;
        double ni = nInv;
        double niq = nInvQ;
        double qDouble = qd;
        for (int r = 0; r < rows; r++) {
            double[] row = byRow[r];
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                double y = row[c];
                double h = y * ni;
                double l = Math.fma(y, ni, -h);
                double k = Math.rint(y * niq);
                long x = (long) (Math.fma(-k, qDouble, h) + l);
                x += (x >> 63) & qq;
                a[base + c] = x;
            }
        }
    }

    /** Each value v to v - rint(v/q)·q, in [-q/2, q/2] up to rounding of the quotient. */
    private static void balance(double[] v, double q, double qInv) {
        for (int j = 0; j < v.length; j++) {
            double x = v[j];
            v[j] = Math.fma(-Math.rint(x * qInv), q, x);
        }
    }

    /** Values in (-2^51, 2^51) to their residues in [0, q) as longs. */
    private void reduce(double[] in, long[] out) {
        double qDouble = qd;
        double inv = qInv;
        long qq = q;
        for (int j = 0; j < in.length; j++) {
            double v = in[j];
            long x = (long) (v - Math.floor(v * inv) * qDouble);
            x += (x >> 63) & qq;
            x -= qq;
            x += (x >> 63) & qq;
            out[j] = x;
        }
    }

    // The butterfly loops below come in near-copies on purpose: one twiddle for a whole row or one per position,
    // with or without the reduction of x. Each must stay a plain loop over whole arrays, without branches or
    // offsets, or the auto-vectorizer leaves it scalar (measured: an offset twiddle index alone made a column stage
    // 3.4x slower).

    /** Cooley–Tukey: (x, y) ← (x + w·y, x - w·y) mod q, balanced residues, over two whole rows or columns. */
    private static void ctButterflies(double[] xs, double[] ys, double w, double wq, double q) {
        for (int j = 0; j < xs.length; j++) {
            double x = xs[j];
            double y = ys[j];
            double h = y * w;
            double l = Math.fma(y, w, -h);
            double k = Math.rint(y * wq);
            double r = Math.fma(-k, q, h) + l;
            xs[j] = x + r;
            ys[j] = x - r;
        }
    }

    /** Cooley–Tukey for q ≥ 2^45: x is reduced to about [-q/2, q/2] first, so the values stay below 2^50.5. */
    private static void ctButterfliesWide(double[] xs, double[] ys, double w, double wq, double q, double qInv) {
        for (int j = 0; j < xs.length; j++) {
            double x0 = xs[j];
            double x = Math.fma(-Math.rint(x0 * qInv), q, x0);
            double y = ys[j];
            double h = y * w;
            double l = Math.fma(y, w, -h);
            double k = Math.rint(y * wq);
            double r = Math.fma(-k, q, h) + l;
            xs[j] = x + r;
            ys[j] = x - r;
        }
    }

    /** The same with the twiddle of position j in {@code w[j]}. */
    private static void ctButterfliesWide(double[] xs, double[] ys, double[] w, double[] wq, double q,
            double qInv) {
        for (int j = 0; j < xs.length; j++) {
            double x0 = xs[j];
            double x = Math.fma(-Math.rint(x0 * qInv), q, x0);
            double y = ys[j];
            double wj = w[j];
            double h = y * wj;
            double l = Math.fma(y, wj, -h);
            double k = Math.rint(y * wq[j]);
            double r = Math.fma(-k, q, h) + l;
            xs[j] = x + r;
            ys[j] = x - r;
        }
    }

    /** The same with the twiddle of position j in {@code w[j]}. */
    private static void ctButterflies(double[] xs, double[] ys, double[] w, double[] wq, double q) {
        for (int j = 0; j < xs.length; j++) {
            double x = xs[j];
            double y = ys[j];
            double wj = w[j];
            double h = y * wj;
            double l = Math.fma(y, wj, -h);
            double k = Math.rint(y * wq[j]);
            double r = Math.fma(-k, q, h) + l;
            xs[j] = x + r;
            ys[j] = x - r;
        }
    }

    /** Gentleman–Sande: (x, y) ← (x + y, (x - y)·w) mod q, balanced residues (|value| ≤ 3q/4). */
    private static void gsButterflies(double[] xs, double[] ys, double w, double wq, double q, double qInv) {
        for (int j = 0; j < xs.length; j++) {
            double x = xs[j];
            double y = ys[j];
            double s = x + y;
            double d = x - y;
            double h = d * w;
            double l = Math.fma(d, w, -h);
            double k = Math.rint(d * wq);
            xs[j] = Math.fma(-Math.rint(s * qInv), q, s);
            ys[j] = Math.fma(-k, q, h) + l;
        }
    }

    /** The same with the twiddle of position j in {@code w[j]}. */
    private static void gsButterflies(double[] xs, double[] ys, double[] w, double[] wq, double q, double qInv) {
        for (int j = 0; j < xs.length; j++) {
            double x = xs[j];
            double y = ys[j];
            double s = x + y;
            double d = x - y;
            double wj = w[j];
            double h = d * wj;
            double l = Math.fma(d, wj, -h);
            double k = Math.rint(d * wq[j]);
            xs[j] = Math.fma(-Math.rint(s * qInv), q, s);
            ys[j] = Math.fma(-k, q, h) + l;
        }
    }
}
