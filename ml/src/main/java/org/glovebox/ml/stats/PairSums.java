package org.glovebox.ml.stats;

/**
 * Decrypted sums of a pair of columns a, b over the rows where both are present (missing values excluded
 * pairwise).
 *
 * @param n rows where both are present
 * @param sumA Σ x_a
 * @param sumB Σ x_b
 * @param sumAB Σ x_a·x_b
 * @param sumAA Σ x_a^2
 * @param sumBB Σ x_b^2
 */
public record PairSums(long n, double sumA, double sumB, double sumAB, double sumAA, double sumBB) {
    /** Sample covariance (denominator n - 1); NaN below two rows. */
    public double covariance() {
        return n > 1 ? (sumAB - sumA * sumB / n) / (n - 1) : Double.NaN;
    }

    /** Pearson correlation over the jointly present rows; NaN when a column is constant there. */
    public double correlation() {
        if (n < 2) {
            return Double.NaN;
        }
        double va = sumAA - sumA * sumA / n;
        double vb = sumBB - sumB * sumB / n;
        if (!(va > 0) || !(vb > 0)) {
            return Double.NaN;
        }
        double r = (sumAB - sumA * sumB / n) / Math.sqrt(va * vb);
        return Math.max(-1, Math.min(1, r));
    }
}
