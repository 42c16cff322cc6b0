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

    /** Rounded Gaussian coefficients with the given sigma, rejected beyond {@link #TAIL_CUT} sigma. */
    public static long[] gaussian(Prng prng, int n, double sigma) {
        long[] out = new long[n];
        double bound = TAIL_CUT * sigma;
        int j = 0;
        while (j < n) {
            // Box–Muller: two independent normals per pair of uniforms.
            double u1 = prng.nextDouble();
            double u2 = prng.nextDouble();
            if (u1 <= 0) {
                continue;
            }
            double r = Math.sqrt(-2 * Math.log(u1)) * sigma;
            double g0 = r * Math.cos(2 * Math.PI * u2);
            double g1 = r * Math.sin(2 * Math.PI * u2);
            if (Math.abs(g0) <= bound) {
                out[j++] = Math.round(g0);
            }
            if (j < n && Math.abs(g1) <= bound) {
                out[j++] = Math.round(g1);
            }
        }
        return out;
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
}
