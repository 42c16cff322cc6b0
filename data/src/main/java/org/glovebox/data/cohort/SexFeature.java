package org.glovebox.data.cohort;

import org.glovebox.data.FeatureKind;

/**
 * Administrative sex from {@code Patient.gender}, coded female = 1, male = 0. Missing when the gender is absent,
 * {@code other} or {@code unknown}.
 */
public record SexFeature(String name, MissingValuePolicy missing) implements FeatureDefinition {

    public SexFeature {
        FeatureDefinition.checkName(name);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.BINARY;
    }

    @Override
    public String unit() {
        return "";
    }
}
