package org.glovebox.data;

import java.util.Objects;

/** A feature matrix together with the report of how it was made. */
public record CohortResult(FeatureMatrix matrix, CohortReport report) {

    public CohortResult {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(report, "report");
    }
}
