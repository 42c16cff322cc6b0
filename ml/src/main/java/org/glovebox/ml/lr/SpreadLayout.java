package org.glovebox.ml.lr;

/**
 * How the feature scaling (half-ranges h_j and centers c_j) travels in the training set's "spread" ciphertext, so
 * that the key holder gets it back with the model and can return coefficients in original units.
 *
 * <p>A flooded (released) decryption adds an absolute error of the order of 10^-2 per slot at scale 2^40; a feature
 * whose half-range is 0.01 (wdbc's fractal dimensions) would lose all its precision if h_j were sent as is. Each
 * value is therefore split into a mantissa m with 2^9 ≤ |m| &lt; 2^10 and an integer exponent e (x = m·2^e): the
 * mantissa keeps a relative error below 10^-5 after averaging, and the exponent is recovered exactly by rounding.
 * Block i of the packing holds, in its slots 1 … d: h mantissas (i mod 4 = 0), c mantissas (1), h exponents (2),
 * c exponents (3); decoding averages each over its blocks.
 */
final class SpreadLayout {
    /** Mantissas lie in [2^MANTISSA_LOG, 2^(MANTISSA_LOG + 1)) in absolute value. */
    static final int MANTISSA_LOG = 9;
    /** Blocks needed: one of each of the four kinds. */
    static final int MIN_BLOCKS = 4;

    private SpreadLayout() {
    }

    /** The slots of the spread ciphertext. */
    static double[] encode(RowPacking packing, FeatureScaling scaling) {
        int blocks = packing.recordsPerCiphertext();
        if (blocks < MIN_BLOCKS) {
            throw new IllegalArgumentException("the packing has " + blocks + " blocks; the scaling needs at least "
                    + MIN_BLOCKS);
        }
        double[] v = new double[packing.slots()];
        int w = packing.blockWidth();
        for (int blk = 0; blk < blocks; blk++) {
            int kind = blk % 4;
            for (int j = 0; j < scaling.features(); j++) {
                double x = kind % 2 == 0 ? scaling.halfRange(j) : scaling.center(j);
                int e = exponent(x);
                v[blk * w + 1 + j] = kind < 2 ? Math.scalb(x, -e) : e;
            }
        }
        return v;
    }

    /** {half-ranges, centers} at index 1 … d (index 0 unused) from decrypted slots. */
    static double[][] decode(double[] slots, RowPacking packing) {
        int w = packing.blockWidth();
        int d = packing.features() + 1;
        int blocks = slots.length / w;
        if (blocks < MIN_BLOCKS) {
            throw new IllegalArgumentException("the spread ciphertext has " + blocks + " blocks, at least "
                    + MIN_BLOCKS + " expected");
        }
        double[][] sums = new double[4][d];
        int[] counts = new int[4];
        for (int i = 0; i < blocks; i++) {
            counts[i % 4]++;
            for (int j = 1; j < d; j++) {
                sums[i % 4][j] += slots[i * w + j];
            }
        }
        double[][] out = new double[2][d];
        for (int kind = 0; kind < 2; kind++) {
            for (int j = 1; j < d; j++) {
                double mantissa = sums[kind][j] / counts[kind];
                long e = Math.round(sums[kind + 2][j] / counts[kind + 2]);
                if (Math.abs(e) > 1100) {
                    throw new IllegalArgumentException("scaling exponent out of range: " + e);
                }
                out[kind][j] = Math.scalb(mantissa, (int) e);
            }
        }
        return out;
    }

    /** Exponent of a zero value: the mantissa's noise times 2^-1000 decodes to 0 for every practical purpose. */
    static final int ZERO_EXPONENT = -1000;

    /** e with 2^MANTISSA_LOG ≤ |x|·2^-e &lt; 2^(MANTISSA_LOG+1); {@link #ZERO_EXPONENT} for x = 0. */
    static int exponent(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return ZERO_EXPONENT;
        }
        return Math.getExponent(x) - MANTISSA_LOG;
    }
}
