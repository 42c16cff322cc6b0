package org.glovebox.data.cohort;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A study, declared in one small YAML or JSON file (see {@link CohortDefinitions} and docs/data.md): where the data
 * comes from, who is in it, which features and which label to extract, and what to do with missing values and bad
 * input. Instances are validated on construction, so a definition that exists is internally consistent.
 *
 * @param name        short study name
 * @param description free text (optional)
 * @param source      FHIR or CSV
 * @param indexDate   the date features are measured at and the label window starts from (FHIR only)
 * @param population  who is in the study (FHIR only; default everyone alive without prior label)
 * @param csv         the file layout (CSV only)
 * @param features    the feature columns, in matrix order
 * @param label       the outcome
 * @param missing     default missing-value policy for features that do not set their own (default drop)
 * @param errors      how bad input is treated (default: fail on malformed input and unit mismatch, skip duplicates)
 */
public record CohortDefinition(String name, String description, DataSource source, LocalDate indexDate,
        Population population, CsvLayout csv, List<FeatureDefinition> features, LabelDefinition label,
        MissingValuePolicy missing, ErrorPolicy errors) {

    public CohortDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a cohort needs a name");
        }
        Objects.requireNonNull(source, "source (fhir or csv) is required");
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("a cohort needs at least one feature");
        }
        features = List.copyOf(features);
        Objects.requireNonNull(label, "label is required");
        missing = missing == null ? MissingValuePolicy.drop() : missing;
        errors = errors == null ? ErrorPolicy.DEFAULT : errors;
        Set<String> names = new HashSet<>();
        for (FeatureDefinition f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature name '" + f.name() + "' is used twice");
            }
        }
        if (source == DataSource.FHIR) {
            if (indexDate == null) {
                throw new IllegalArgumentException("a FHIR cohort needs an indexDate (YYYY-MM-DD)");
            }
            if (csv != null) {
                throw new IllegalArgumentException("a FHIR cohort has no csv layout; remove 'csv' or set source: csv");
            }
            population = population == null ? Population.EVERYONE : population;
            for (FeatureDefinition f : features) {
                if (!f.isFhir()) {
                    throw new IllegalArgumentException("feature '" + f.name() + "' has no FHIR type; use type: age, sex,"
                            + " observation, condition or medication");
                }
            }
            if (!label.isFhir()) {
                throw new IllegalArgumentException("a FHIR cohort's label needs codes and within, not a column");
            }
        } else {
            if (csv == null) {
                throw new IllegalArgumentException("a CSV cohort needs a csv layout (delimiter, header, columns)");
            }
            if (indexDate != null || population != null) {
                throw new IllegalArgumentException("indexDate and population apply to FHIR cohorts only; a CSV cohort"
                        + " takes every record of the file");
            }
            for (FeatureDefinition f : features) {
                if (f.isFhir()) {
                    throw new IllegalArgumentException("feature '" + f.name() + "' reads FHIR resources but the source"
                            + " is csv; CSV features name a column");
                }
            }
            if (label.isFhir()) {
                throw new IllegalArgumentException("a CSV cohort's label needs a column, not condition codes");
            }
        }
    }

    /** The missing-value policy that applies to a feature: its own, else the cohort default. */
    public MissingValuePolicy policyFor(FeatureDefinition feature) {
        return feature.missing() != null ? feature.missing() : missing;
    }

    /** The feature with the given name. */
    public FeatureDefinition feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature named " + featureName));
    }
}
