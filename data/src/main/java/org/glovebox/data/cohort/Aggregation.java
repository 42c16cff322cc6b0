package org.glovebox.data.cohort;

/** How the observations of one patient inside the feature's window become one number. */
public enum Aggregation {
    /** The value with the latest effective time. */
    LATEST,
    /** The value with the earliest effective time. */
    EARLIEST,
    /** The arithmetic mean of the values. */
    MEAN,
    /** The smallest value. */
    MIN,
    /** The largest value. */
    MAX,
    /** How many observations there are (0 when none: never missing). */
    COUNT
}
