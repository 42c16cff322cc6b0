package org.glovebox.data.fhir;

import org.glovebox.data.cohort.Aggregation;

/**
 * The running summary of one patient's observations for one feature: just what the feature's {@link Aggregation}
 * needs, so memory grows with patients, not with observations. Ties in time are broken by the larger value, so the
 * result does not depend on the order of the input.
 */
final class ObservationAggregate {

    private long count;
    private double sum;
    private double value = Double.NaN;
    private long time;

    void add(Aggregation aggregation, long orderKey, double v) {
        count++;
        switch (aggregation) {
            case MEAN -> sum += v;
            case LATEST -> {
                if (count == 1 || orderKey > time || (orderKey == time && v > value)) {
                    time = orderKey;
                    value = v;
                }
            }
            case EARLIEST -> {
                if (count == 1 || orderKey < time || (orderKey == time && v > value)) {
                    time = orderKey;
                    value = v;
                }
            }
            case MIN -> value = count == 1 ? v : Math.min(value, v);
            case MAX -> value = count == 1 ? v : Math.max(value, v);
            case COUNT -> {
                // The count is all a COUNT feature needs.
            }
        }
    }

    /** The feature value, NaN when there was no observation (0 for COUNT). */
    double result(Aggregation aggregation) {
        return switch (aggregation) {
            case COUNT -> count;
            case MEAN -> count == 0 ? Double.NaN : sum / count;
            default -> count == 0 ? Double.NaN : value;
        };
    }
}
