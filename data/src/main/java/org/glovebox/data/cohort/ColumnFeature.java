package org.glovebox.data.cohort;

import java.util.List;
import java.util.Map;
import org.glovebox.data.FeatureKind;

/**
 * A feature read from a named CSV column. Cells equal to a missing-value token of the layout or to one of this
 * column's {@code missingValues} (a sentinel such as {@code 0} where zero means "not measured") are missing; text
 * cells are mapped through {@code values} when given ({@code {M: 1, B: 0}}); other cells must be numbers.
 *
 * @param name          column name in the feature matrix
 * @param column        the CSV column to read (default: {@code name})
 * @param kind          kind of values (default CONTINUOUS)
 * @param unit          unit of the values (default none)
 * @param missingValues cell contents that mean "missing" for this column only
 * @param values        text cell to number mapping, for coded columns
 * @param missing       this feature's missing-value policy, or null for the cohort default
 */
public record ColumnFeature(String name, String column, FeatureKind kind, String unit, List<String> missingValues,
        Map<String, Double> values, MissingValuePolicy missing) implements FeatureDefinition {

    public ColumnFeature {
        FeatureDefinition.checkName(name);
        column = column == null ? name : column.strip();
        kind = kind == null ? FeatureKind.CONTINUOUS : kind;
        unit = unit == null ? "" : unit.strip();
        missingValues = missingValues == null ? List.of() : missingValues.stream().map(String::strip).toList();
        values = values == null ? Map.of() : Map.copyOf(values);
        for (var e : values.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("column feature '" + name + "': value for '" + e.getKey()
                        + "' must be a finite number");
            }
        }
    }
}
