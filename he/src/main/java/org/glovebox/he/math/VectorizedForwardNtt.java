package org.glovebox.he.math;

/**
 * The forward negacyclic NTT of {@link Ntt} for primes below 2^45, computed in double-precision floating point in a
 * layout that HotSpot's auto-vectorizer turns into SIMD code (AVX2/AVX-512 on x86, NEON/SVE on ARM). Same
 * butterflies, same output order; every output is the canonical residue in [0, q), so the result is identical to
 * the integer transform followed by a full reduction.
 *
 * <h2>Why floating point</h2>
 * Java has no vector 64-bit high multiply, so the integer Shoup butterfly runs one lane at a time. A modular product
 * y·w mod q is also exact in doubles when q is small enough: h = fl(y·w) and l = fma(y, w, -h) give y·w = h + l
 * exactly (the error of a rounded product is representable), k = rint(y·(w/q)) estimates the quotient, and
 * r = fma(-k, q, h) + l = y·w - k·q is computed without rounding because it is an integer below 2^53. Bound: with
 * |y| ≤ B ≤ 2^50 the estimate is within 1/2 + 2·B·2^-53 ≤ 3/4 of y·w/q, so |r| ≤ 3q/4, and a butterfly x ± r grows
 * the bound by 3q/4 per stage. Inputs below 16q and at most 17 stages stay below 16q + 13q < 2^50 for q < 2^45, so
 * every intermediate value is an exactly represented integer, and the result is exact.
 *
 * <h2>Why this layout</h2>
 * The auto-vectorizer packs a loop only when it can prove that its loads and stores do not overlap; a butterfly
 * between a[j] and a[j + t] of one array fails that proof (t is unknown at compile time). Here the N values are held
 * as R = 2^floor(logN/2) rows of C = N/R doubles: a stage of distance t ≥ C pairs two whole rows (two distinct
 * arrays, one twiddle). After those log R stages the values are transposed into C columns of R doubles, where a
 * stage of distance t < C pairs two whole columns, with the twiddles of that stage stored in column order so they
 * are read contiguously as well. Two scalar copies (the transpose, and the gather of the reduced values into natural
 * order) are the price: at N = 2^14 the transform takes about 40 % of the integer one's time (docs/benchmarks.md).
 *
 * <p>Immutable and thread-safe; the working rows are per thread.
 */
final class VectorizedForwardNtt {
    /** Moduli below 2^45 keep every intermediate value an exact double (class comment). */
    static final int MAX_MODULUS_BITS = 45;
    /** Smallest ring with rows and columns of at least 8 values (one AVX-512 vector of doubles). */
    static final int MIN_LOG_N = 6;
    private static final int MAX_LOG_N = 17;

    private final int n;
    private final int rows;
    private final int cols;
    private final long q;
    private final double qd;
    private final double qInv;
    /** Twiddle w[k] and w[k]/q of the row stages, k in [1, rows). */
    private final double[] rowW;
    private final double[] rowWq;
    /**
     * Per column stage s (distance t = C/2^(s+1)) and group g = c / 2t of column positions: the twiddle of each row r
     * at [s][g][r] (one array per group: the vectorizer packs loads at a loop-invariant offset less reliably).
     */
    private final double[][][] colW;
    private final double[][][] colWq;
    private final ThreadLocal<Buffers> work;

    /** One thread's working values: by row, by column, and reduced by column. */
    private record Buffers(double[][] byRow, double[][] byCol, long[][] longs) {
    }

    /** True if a transform of this size and modulus can use this class. */
    static boolean supports(long q, int logN) {
        return logN >= MIN_LOG_N && logN <= MAX_LOG_N && q < (1L << MAX_MODULUS_BITS);
    }

    /** @param rootPowers the bit-reversed powers of psi of {@link Ntt} (index m + i for stage m, group i) */
    VectorizedForwardNtt(long q, int logN, long[] rootPowers) {
        if (!supports(q, logN)) {
            throw new IllegalArgumentException("floating-point NTT needs q < 2^" + MAX_MODULUS_BITS + " and log N in ["
                    + MIN_LOG_N + ", " + MAX_LOG_N + "]");
        }
        this.n = 1 << logN;
        this.rows = 1 << (logN / 2);
        this.cols = n / rows;
        this.q = q;
        this.qd = q;
        this.qInv = 1.0 / q;
        rowW = new double[rows];
        rowWq = new double[rows];
        for (int k = 1; k < rows; k++) {
            rowW[k] = rootPowers[k];
            rowWq[k] = rowW[k] / qd;
        }
        int colStages = Integer.numberOfTrailingZeros(cols);
        colW = new double[colStages][][];
        colWq = new double[colStages][][];
        for (int s = 0, t = cols >> 1; s < colStages; s++, t >>= 1) {
            int m = n / (2 * t);
            int groupsPerRow = cols / (2 * t);
            colW[s] = new double[groupsPerRow][rows];
            colWq[s] = new double[groupsPerRow][rows];
            for (int g = 0; g < groupsPerRow; g++) {
                for (int r = 0; r < rows; r++) {
                    colW[s][g][r] = rootPowers[m + r * groupsPerRow + g];
                    colWq[s][g][r] = colW[s][g][r] / qd;
                }
            }
        }
        work = ThreadLocal.withInitial(() -> new Buffers(new double[rows][cols], new double[cols][rows],
                new long[cols][rows]));
    }

    /** Forward transform in place: input in [0, 16q), output in [0, q). */
    void forward(long[] a) {
        Buffers buffers = work.get();
        double[][] byRow = buffers.byRow();
        double[][] byCol = buffers.byCol();
        for (int r = 0; r < rows; r++) {
            double[] row = byRow[r];
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                row[c] = a[base + c];
            }
        }
        // Stages of distance t >= C: butterflies between rows r and r + t/C, twiddle w[m + i] for group i.
        for (int m = 1, half = rows >> 1; half >= 1; m <<= 1, half >>= 1) {
            for (int i = 0; i < m; i++) {
                double w = rowW[m + i];
                double wq = rowWq[m + i];
                int r0 = 2 * i * half;
                for (int r = r0; r < r0 + half; r++) {
                    butterflies(byRow[r], byRow[r + half], w, wq, qd);
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
        for (int s = 0, t = cols >> 1; t >= 1; s++, t >>= 1) {
            for (int g = 0, c0 = 0; c0 < cols; g++, c0 += 2 * t) {
                double[] w = colW[s][g];
                double[] wq = colWq[s][g];
                for (int c = c0; c < c0 + t; c++) {
                    butterflies(byCol[c], byCol[c + t], w, wq, qd);
                }
            }
        }
        // Reduced and converted column by column (vectorized), then gathered into natural order (a plain copy).
        long[][] reduced = buffers.longs();
        double qDouble = qd;
        double inv = qInv;
        long qq = q;
        for (int c = 0; c < cols; c++) {
            double[] col = byCol[c];
            long[] out = reduced[c];
            for (int r = 0; r < rows; r++) {
                double v = col[r];
                long x = (long) (v - Math.floor(v * inv) * qDouble);
                x += (x >> 63) & qq;
                x -= qq;
                x += (x >> 63) & qq;
                out[r] = x;
            }
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                a[base + c] = reduced[c][r];
            }
        }
    }


    /** (x, y) ← (x + w·y, x - w·y) mod q, balanced residues, over two whole rows. */
    private static void butterflies(double[] xs, double[] ys, double w, double wq, double q) {
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

    /** The same over two whole columns, with the twiddle of row j in {@code w[j]}. */
    private static void butterflies(double[] xs, double[] ys, double[] w, double[] wq, double q) {
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
}
