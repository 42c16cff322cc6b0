package org.glovebox.ml.lr;

/**
 * How records travel in CKKS slots for training and row-wise scoring (Kim et al.'s packing): each record takes a
 * block of {@code blockWidth} consecutive slots, the smallest power of two above the feature count, holding
 * (1, x_1, …, x_d) and zeros; {@code slots / blockWidth} records share one ciphertext, and the last ciphertext is
 * padded with zero blocks.
 *
 * <p>With this layout a sum over a record's features is log2(blockWidth) rotations by 1, 2, 4, …, and a sum over
 * records is log2(slots / blockWidth) rotations by blockWidth, 2·blockWidth, …: every rotation is by a power of two.
 *
 * @param features number of features d (without the intercept)
 * @param blockWidth slots per record
 * @param slots slots per ciphertext
 */
public record RowPacking(int features, int blockWidth, int slots) {
    public RowPacking {
        if (features < 1) {
            throw new IllegalArgumentException("at least one feature is needed");
        }
        if (blockWidth != blockWidthFor(features)) {
            throw new IllegalArgumentException("block width must be " + blockWidthFor(features) + " for " + features
                    + " features, got " + blockWidth);
        }
        if (slots < blockWidth || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two of at least " + blockWidth);
        }
    }

    /** The packing of d features into ciphertexts of {@code slots} slots. */
    public static RowPacking of(int features, int slots) {
        return new RowPacking(features, blockWidthFor(features), slots);
    }

    /** The smallest power of two at least d + 1 (the intercept slot plus d features). */
    public static int blockWidthFor(int features) {
        if (features < 1 || features > (1 << 20)) {
            throw new IllegalArgumentException("feature count out of range: " + features);
        }
        int w = 1;
        while (w < features + 1) {
            w <<= 1;
        }
        return w;
    }

    public int recordsPerCiphertext() {
        return slots / blockWidth;
    }

    /** Ciphertexts needed for {@code records} records (at least one). */
    public int ciphertexts(int records) {
        return Math.max(1, (records + recordsPerCiphertext() - 1) / recordsPerCiphertext());
    }

    /** A slot vector holding {@code value} at the first slot of every block and 0 elsewhere. */
    public double[] firstSlotMask(double value) {
        double[] m = new double[slots];
        for (int i = 0; i < slots; i += blockWidth) {
            m[i] = value;
        }
        return m;
    }

    /** A slot vector repeating {@code pattern} (at most blockWidth values, zero-padded) in every block. */
    public double[] replicate(double[] pattern) {
        if (pattern.length > blockWidth) {
            throw new IllegalArgumentException("pattern longer than the block");
        }
        double[] m = new double[slots];
        for (int i = 0; i < slots; i += blockWidth) {
            System.arraycopy(pattern, 0, m, i, pattern.length);
        }
        return m;
    }

    /** Rotation steps the row-wise algorithms use: every power of two below the slot count. */
    public static int[] rotationSteps(int slots) {
        int count = Integer.numberOfTrailingZeros(slots);
        int[] steps = new int[count];
        for (int i = 0; i < count; i++) {
            steps[i] = 1 << i;
        }
        return steps;
    }
}
