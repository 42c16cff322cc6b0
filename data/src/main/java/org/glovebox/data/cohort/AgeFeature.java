package org.glovebox.data.cohort;

import org.glovebox.data.FeatureKind;

/** Age in whole years at the index date, from {@code Patient.birthDate}. Missing when the birth date is absent. */
public record AgeFeature(String name, MissingValuePolicy missing) implements FeatureDefinition {

    public AgeFeature {
        FeatureDefinition.checkName(name);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.CONTINUOUS;
    }

    @Override
    public String unit() {
        return "a";
    }
}
