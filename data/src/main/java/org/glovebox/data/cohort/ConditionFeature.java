package org.glovebox.data.cohort;

import java.time.Period;
import java.util.List;
import org.glovebox.data.FeatureKind;

/**
 * 1 when the patient has a Condition with one of the codes (SNOMED CT or ICD-10) with onset (or, lacking one, recorded
 * date) on or before the index date and within {@code lookback} when given; 0 otherwise. Conditions marked
 * entered-in-error or refuted do not count. Never missing.
 */
public record ConditionFeature(String name, List<ClinicalCode> codes, Period lookback) implements FeatureDefinition {

    public ConditionFeature {
        FeatureDefinition.checkName(name);
        codes = checkConditionCodes("condition feature '" + name + "'", codes);
        ObservationFeature.checkLookback(name, lookback);
    }

    static List<ClinicalCode> checkConditionCodes(String what, List<ClinicalCode> codes) {
        if (codes == null || codes.isEmpty()) {
            throw new IllegalArgumentException(what + " needs codes, e.g. [snomed:44054006, icd10:E11]");
        }
        for (ClinicalCode c : codes) {
            if (c.system() != CodeSystem.SNOMED && c.system() != CodeSystem.ICD10) {
                throw new IllegalArgumentException(what + ": " + c + " is not a SNOMED CT or ICD-10 code");
            }
        }
        return List.copyOf(codes);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.BINARY;
    }

    @Override
    public String unit() {
        return "";
    }

    @Override
    public boolean canBeMissing() {
        return false;
    }
}
