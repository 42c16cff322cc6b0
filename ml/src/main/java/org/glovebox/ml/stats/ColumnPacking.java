package org.glovebox.ml.stats;

/**
 * How a column travels in CKKS slots: slot j of ciphertext k holds row k·slots + j as the complex number
 * x + i·m, with m = 1 when the value is present and m = x = 0 when it is missing (or a padding slot).
 *
 * <p>Packing the presence indicator in the imaginary part makes the count free: the slot-wise sum is
 * Σx + i·n, and Σ(x + i·m)^2 = Σx^2 - n + 2i·Σx, so the sum of squares is Re(Σ(x + im)^2) + n.
 */
final class ColumnPacking {
    private ColumnPacking() {
    }

    /** Number of ciphertexts for {@code rows} rows. */
    static int ciphertexts(int rows, int slots) {
        return Math.max(1, (rows + slots - 1) / slots);
    }
}
