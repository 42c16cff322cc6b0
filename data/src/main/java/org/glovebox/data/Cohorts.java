package org.glovebox.data;

import java.nio.file.Path;
import java.util.List;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.csv.CsvCohortReader;
import org.glovebox.data.fhir.FhirCohortReader;

/**
 * The entry point from a hospital's export to a feature matrix:
 *
 * <pre>{@code
 * CohortDefinition cohort = CohortDefinitions.load(Path.of("diabetes.yaml"));
 * CohortResult result = Cohorts.load(cohort, Path.of("export/"));   // FHIR NDJSON/Bundles or a CSV file
 * FeatureMatrix x = result.matrix();
 * System.out.print(result.report().render());                         // counts only, safe to print
 * }</pre>
 *
 * For the {@code mean} missing-value policy with study-wide means, use {@link #extract} and
 * {@link CohortExtraction#build(ImputationMeans)}.
 */
public final class Cohorts {

    private Cohorts() {
    }

    /** Reads the input (FHIR files/directories or one CSV file, as the definition's source says). */
    public static CohortExtraction extract(CohortDefinition definition, List<Path> inputs) {
        return switch (definition.source()) {
            case FHIR -> new FhirCohortReader(definition).read(inputs);
            case CSV -> {
                if (inputs.size() != 1) {
                    throw new IllegalArgumentException("a CSV cohort reads exactly one file, got " + inputs.size());
                }
                yield new CsvCohortReader(definition).read(inputs.get(0));
            }
        };
    }

    /** Reads one input path (file or, for FHIR, directory). */
    public static CohortExtraction extract(CohortDefinition definition, Path input) {
        return extract(definition, List.of(input));
    }

    /** Reads the input and builds the feature matrix with locally computed means. */
    public static CohortResult load(CohortDefinition definition, Path input) {
        return extract(definition, input).build();
    }
}
