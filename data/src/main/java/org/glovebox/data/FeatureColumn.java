package org.glovebox.data;

import java.util.Objects;

/**
 * Metadata of one column of a {@link FeatureMatrix}: its name (unique within the matrix), what kind of values it holds,
 * and the unit they are expressed in (UCUM code such as {@code kg/m2}, or {@code ""} when unit-less).
 */
public record FeatureColumn(String name, FeatureKind kind, String unit) {

    public FeatureColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        unit = unit == null ? "" : unit;
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
    }
}
