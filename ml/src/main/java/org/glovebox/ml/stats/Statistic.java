package org.glovebox.ml.stats;

/** The per-column statistics the untrusted party can compute on an {@link EncryptedTable}. */
public enum Statistic {
    /** Number of non-missing values. */
    COUNT,
    /** Sum of the non-missing values. */
    SUM,
    /** Sum divided by count (the division happens after decryption). */
    MEAN,
    /** Sample variance (n - 1 in the denominator), from the count, sum and sum of squares. */
    VARIANCE;

    /** True if the sum of squares is needed (one homomorphic multiplication per ciphertext). */
    boolean needsSquares() {
        return this == VARIANCE;
    }
}
