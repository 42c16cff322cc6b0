package org.glovebox.data.cohort;

import java.util.List;

/**
 * Who is in a FHIR study: patients aged {@code minAge}..{@code maxAge} (inclusive, whole years at the index date) of
 * the listed sexes, alive at the index date unless {@code aliveAtIndex} is false, and without the label condition
 * before the index date unless {@code excludePriorLabel} is false (a risk model predicts new cases). Absent fields
 * impose no restriction (except the two defaults, which are true).
 */
public record Population(Integer minAge, Integer maxAge, List<Sex> sex, Boolean aliveAtIndex,
        Boolean excludePriorLabel) {

    /** Everyone alive at the index date without the label condition before it. */
    public static final Population EVERYONE = new Population(null, null, null, null, null);

    public Population {
        if (minAge != null && (minAge < 0 || minAge > 150)) {
            throw new IllegalArgumentException("population.minAge must be between 0 and 150");
        }
        if (maxAge != null && (maxAge < 0 || maxAge > 150)) {
            throw new IllegalArgumentException("population.maxAge must be between 0 and 150");
        }
        if (minAge != null && maxAge != null && minAge > maxAge) {
            throw new IllegalArgumentException("population.minAge is greater than population.maxAge");
        }
        sex = sex == null ? null : List.copyOf(sex);
        aliveAtIndex = aliveAtIndex == null || aliveAtIndex;
        excludePriorLabel = excludePriorLabel == null || excludePriorLabel;
    }

    /** Whether the population restricts age, which then requires a birth date. */
    public boolean restrictsAge() {
        return minAge != null || maxAge != null;
    }
}
