package org.glovebox.app.bench;

/**
 * Absolute errors of decrypted slots against the encrypted values, pooled over any number of vectors, reported as
 * bits of precision: -log2 of the mean error and of the largest one (the worst slot). Errors are complex moduli, so
 * an imaginary part that should be 0 counts too.
 */
public final class SlotErrors {
    private double sum;
    private double max;
    private long count;

    /** Adds the slot errors of {@code actual} = {re, im} against {@code expected} = {re, im} (same lengths). */
    public void add(double[][] expected, double[][] actual) {
        int n = expected[0].length;
        if (expected[1].length != n || actual[0].length != n || actual[1].length != n) {
            throw new IllegalArgumentException("expected and actual slot vectors differ in length");
        }
        for (int i = 0; i < n; i++) {
            double e = Math.hypot(expected[0][i] - actual[0][i], expected[1][i] - actual[1][i]);
            sum += e;
            max = Math.max(max, e);
        }
        count += n;
    }

    /** Slots added so far. */
    public long count() {
        return count;
    }

    /** -log2 of the mean absolute error (infinite if every slot is exact). */
    public double bitsMean() {
        requireSlots();
        return -log2(sum / count);
    }

    /** -log2 of the largest absolute error: the precision of the worst slot. */
    public double bitsWorst() {
        requireSlots();
        return -log2(max);
    }

    private void requireSlots() {
        if (count == 0) {
            throw new IllegalStateException("no slots added");
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
