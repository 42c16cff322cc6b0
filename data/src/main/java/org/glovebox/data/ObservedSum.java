package org.glovebox.data;

/**
 * The sum and count of the observed (non-missing) values of one feature at one site: what a hospital contributes to a
 * study-wide mean. Sums from several sites add up ({@link #plus}); the federated module does the same addition on
 * encrypted values.
 */
public record ObservedSum(String feature, double sum, long count) {

    public ObservedSum {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
    }

    /** The sum of this and another site's contribution for the same feature. */
    public ObservedSum plus(ObservedSum other) {
        if (!feature.equals(other.feature)) {
            throw new IllegalArgumentException("cannot add sums of " + feature + " and " + other.feature);
        }
        return new ObservedSum(feature, sum + other.sum, count + other.count);
    }

    /** The mean, or NaN when no value was observed. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
