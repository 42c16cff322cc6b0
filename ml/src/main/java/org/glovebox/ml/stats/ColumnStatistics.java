package org.glovebox.ml.stats;

/**
 * Decrypted statistics of one column. Fields that the requested statistic did not compute are NaN.
 *
 * @param name column name
 * @param count number of non-missing values
 * @param sum sum of the non-missing values
 * @param mean sum / count
 * @param variance sample variance (denominator count - 1)
 */
public record ColumnStatistics(String name, long count, double sum, double mean, double variance) {
    /** Computes the derived fields from the raw aggregates (sumOfSquares may be NaN when not computed). */
    static ColumnStatistics of(String name, long count, double sum, double sumOfSquares) {
        double mean = count > 0 ? sum / count : Double.NaN;
        double variance = count > 1 && !Double.isNaN(sumOfSquares)
                ? Math.max(0, (sumOfSquares - sum * sum / count) / (count - 1))
                : Double.NaN;
        return new ColumnStatistics(name, count, sum, mean, variance);
    }

    /** The value of the requested statistic. */
    public double value(Statistic statistic) {
        return switch (statistic) {
            case COUNT -> count;
            case SUM -> sum;
            case MEAN -> mean;
            case VARIANCE -> variance;
        };
    }
}
