package org.glovebox.he.ring;

/**
 * Samplers for the distributions CKKS needs, all driven by a {@link Prng}: uniform residues, uniform ternary
 * coefficients, and the rounded Gaussian error (sigma = 3.2, truncated at 6 sigma).
 */
public final class Sampler {
    /** Standard deviation of the error distribution (HE standard). */
    public static final double DEFAULT_SIGMA = 3.2;
    /** Truncation bound of the error distribution, in multiples of sigma. */
    public static final double TAIL_CUT = 6.0;
    /** Largest sigma {@link #gaussian} samples from a table (of about 6·sigma + 1 entries); smallest: 1/4. */
    public static final double TABLE_MAX_SIGMA = 16;

    private Sampler() {
    }

    /** Fills every limb of {@code out} with independent uniform residues (uniform mod Q by the CRT). */
    public static void uniform(Prng prng, RnsBasis basis, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long q = basis.modulus(i).value();
            long mask = (-1L) >>> Long.numberOfLeadingZeros(q);
            prng.uniformResidues(out.limb(i), q, mask);
        }
    }

    /** Uniform coefficients in {-1, 0, 1}. */
    public static long[] ternary(Prng prng, int n) {
        long[] out = new long[n];
        for (int j = 0; j < n; j++) {
            int b;
            do {
                b = prng.nextByte();
            } while (b >= 255);
            out[j] = (b % 3) - 1;
        }
        return out;
    }

    /** Ternary coefficients with exactly {@code h} non-zero entries (uniform positions and signs). */
    public static long[] ternaryHammingWeight(Prng prng, int n, int h) {
        if (h < 1 || h > n) {
            throw new IllegalArgumentException("Hamming weight must be in [1, " + n + "], got " + h);
        }
        long[] out = new long[n];
        int placed = 0;
        while (placed < h) {
            int idx = (int) ((prng.nextLong() >>> 1) % n);
            if (out[idx] == 0) {
                out[idx] = (prng.nextByte() & 1) == 0 ? 1 : -1;
                placed++;
            }
        }
        return out;
    }

    /**
     * Rounded Gaussian coefficients with the given sigma: round(x) for x drawn from N(0, sigma²) conditioned on
     * |x| <= {@link #TAIL_CUT}·sigma. For sigma in [1/4, {@link #TABLE_MAX_SIGMA}] (the RLWE error, sigma = 3.2) by
     * inversion of a 63-bit cumulative table of exactly these probabilities (one 64-bit random word per coefficient,
     * no floating point per sample, about 4 times faster), otherwise (flooding noise) by the ziggurat method
     * ({@link NormalZiggurat}; Box–Muller before, twice the time). All give the same distribution.
     */
    public static long[] gaussian(Prng prng, int n, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        if (sigma >= 0.25 && sigma <= TABLE_MAX_SIGMA) {
            return RoundedGaussianTable.of(sigma).sample(prng, n);
        }
        long[] out = new long[n];
        double bound = TAIL_CUT * sigma;
        int j = 0;
        while (j < n) {
            double g = NormalZiggurat.next(prng) * sigma;
            if (Math.abs(g) <= bound) {
                out[j++] = Math.round(g);
            }
        }
        return out;
    }

    /**
     * The rounded, truncated Gaussian of one sigma as a cumulative table over |k|: P(|K| = k) is the mass of
     * N(0, sigma²) on [k − 1/2, k + 1/2] ∩ [−B, B] (twice that for k > 0), B = {@link #TAIL_CUT}·sigma, normalized;
     * the masses are integrated with 16-point Gauss–Legendre on 8 pieces of each unit interval (relative error far
     * below double precision for sigma >= 1/4) and accumulated into round(2^63 · P(|K| <= k)).
     */
    static final class RoundedGaussianTable {
        private static final java.util.concurrent.ConcurrentHashMap<Double, RoundedGaussianTable> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final double[][] GAUSS_LEGENDRE_16 = gaussLegendre(16);
        /** cdf[k] = round(2^63 · P(|K| <= k)); the last entry is Long.MAX_VALUE. */
        final long[] cdf;

        private RoundedGaussianTable(double sigma) {
            double bound = TAIL_CUT * sigma;
            int kmax = (int) Math.floor(bound + 0.5);
            double[] mass = new double[kmax + 1];
            double total = 0;
            for (int k = 0; k <= kmax; k++) {
                double m = integrate(Math.max(k - 0.5, -bound), Math.min(k + 0.5, bound), sigma);
                mass[k] = k == 0 ? m : 2 * m;
                total += mass[k];
            }
            cdf = new long[kmax + 1];
            double acc = 0;
            for (int k = 0; k <= kmax; k++) {
                acc += mass[k];
                cdf[k] = k == kmax ? Long.MAX_VALUE : (long) Math.min(Math.rint(acc / total * 0x1p63), 0x1p63 - 1);
            }
        }

        static RoundedGaussianTable of(double sigma) {
            if (!(sigma >= 0.25) || sigma > TABLE_MAX_SIGMA) {
                throw new IllegalArgumentException("table sigma must be in [1/4, " + TABLE_MAX_SIGMA + "], got " + sigma);
            }
            return CACHE.computeIfAbsent(sigma, RoundedGaussianTable::new);
        }

        /** ∫ exp(−x²/(2σ²)) dx over [a, b]. */
        private static double integrate(double a, double b, double sigma) {
            if (b <= a) {
                return 0;
            }
            int pieces = 8;
            double h = (b - a) / pieces;
            double sum = 0;
            for (int p = 0; p < pieces; p++) {
                double mid = a + (p + 0.5) * h;
                for (double[] nw : GAUSS_LEGENDRE_16) {
                    double x = mid + nw[0] * h / 2;
                    sum += nw[1] * Math.exp(-x * x / (2 * sigma * sigma));
                }
            }
            return sum * h / 2;
        }

        /** Nodes and weights {x, w} of n-point Gauss–Legendre quadrature on [−1, 1] (Newton on P_n). */
        private static double[][] gaussLegendre(int n) {
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) {
                double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
                double dp = 0;
                for (int it = 0; it < 100; it++) {
                    double p0 = 1;
                    double p1 = x;
                    for (int k = 2; k <= n; k++) {
                        double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                        p0 = p1;
                        p1 = p2;
                    }
                    dp = n * (x * p1 - p0) / (x * x - 1);
                    double dx = p1 / dp;
                    x -= dx;
                    if (Math.abs(dx) < 1e-17) {
                        break;
                    }
                }
                out[i] = new double[] {x, 2 / ((1 - x * x) * dp * dp)};
            }
            return out;
        }

        long[] sample(Prng prng, int n) {
            return sampleByInversion(prng, cdf, n);
        }
    }

    /**
     * Uniform coefficients in [-bound, bound] for a bound up to 2^61: the "smudging" or flooding noise that hides a
     * secret-dependent term (noise flooding).
     */
    public static long[] uniformBounded(Prng prng, int n, long bound) {
        if (bound < 0 || bound > (1L << 61)) {
            throw new IllegalArgumentException("bound must be in [0, 2^61], got " + bound);
        }
        long[] out = new long[n];
        long range = 2 * bound + 1;
        long mask = (-1L) >>> Long.numberOfLeadingZeros(range);
        for (int j = 0; j < n; j++) {
            long v;
            do {
                v = prng.nextLong() & mask;
            } while (v >= range);
            out[j] = v - bound;
        }
        return out;
    }

    /**
     * n signed samples by inversion of a symmetric cumulative table: cdf[k] = round(2^63 · P(|X| ≤ k)), increasing,
     * last entry Long.MAX_VALUE. One 64-bit word per sample: 63 bits for the magnitude, the lowest bit for the sign.
     * The first entries are counted without branches (almost every sample ends there; a data-dependent loop exit
     * would be a branch misprediction per sample), the rare tail by a loop.
     */
    public static long[] sampleByInversion(Prng prng, long[] cdf, int n) {
        long[] out = new long[n];
        int last = cdf.length - 1;
        int head = Math.min(INVERSION_HEAD, last);
        for (int j = 0; j < n; j++) {
            long v = prng.nextLong();
            long r = v >>> 1;
            int k = 0;
            for (int i = 0; i < head; i++) {
                k += r >= cdf[i] ? 1 : 0;
            }
            if (k == head) {
                while (k < last && r >= cdf[k]) {
                    k++;
                }
            }
            out[j] = (v & 1) == 0 ? k : -k;
        }
        return out;
    }

    /** Table entries compared without branches by {@link #sampleByInversion} (P(|K| >= 8) is about 1 % at σ = 3.2). */
    private static final int INVERSION_HEAD = 8;
}
