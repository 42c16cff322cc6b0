package org.glovebox.data.cohort;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.regex.Pattern;
import org.glovebox.data.FeatureColumn;
import org.glovebox.data.FeatureKind;

/**
 * One column of the feature matrix, declared in a cohort file by its {@code type}: {@code age}, {@code sex},
 * {@code observation}, {@code condition}, {@code medication} (FHIR sources) or {@code column} (CSV sources, the
 * default when no type is given).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = ColumnFeature.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgeFeature.class, name = "age"),
    @JsonSubTypes.Type(value = SexFeature.class, name = "sex"),
    @JsonSubTypes.Type(value = ObservationFeature.class, name = "observation"),
    @JsonSubTypes.Type(value = ConditionFeature.class, name = "condition"),
    @JsonSubTypes.Type(value = MedicationFeature.class, name = "medication"),
    @JsonSubTypes.Type(value = ColumnFeature.class, name = "column")
})
public sealed interface FeatureDefinition
        permits AgeFeature, SexFeature, ObservationFeature, ConditionFeature, MedicationFeature, ColumnFeature {

    /** Feature names become column names: letters, digits, '_', '.', '-', starting with a letter. */
    Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    /** The column name in the feature matrix. */
    String name();

    /** What kind of values the column holds. */
    FeatureKind kind();

    /** The unit of the column's values ({@code ""} when unit-less). */
    String unit();

    /**
     * This feature's own missing-value policy, or null to use the cohort's default. Features that cannot be missing
     * (presence of a diagnosis, a count) return null.
     */
    default MissingValuePolicy missing() {
        return null;
    }

    /** Whether a patient can lack a value for this feature (presence and count features cannot). */
    default boolean canBeMissing() {
        return true;
    }

    /** The column metadata this feature produces. */
    default FeatureColumn toColumn() {
        return new FeatureColumn(name(), kind(), unit());
    }

    /** Whether this feature reads FHIR resources (as opposed to a CSV column). */
    default boolean isFhir() {
        return !(this instanceof ColumnFeature);
    }

    /** Checks a feature name, for the records' constructors. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature name '" + name + "' must start with a letter and contain only"
                    + " letters, digits, '_', '.', '-' (at most 64 characters)");
        }
        return name;
    }
}
