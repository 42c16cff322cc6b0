package org.glovebox.data.cohort;

import java.time.Period;
import java.util.List;
import org.glovebox.data.FeatureKind;

/**
 * 1 when the patient has a MedicationRequest for one of the RxNorm concepts authored on or before the index date and
 * within {@code lookback} when given; 0 otherwise. Requests that were entered in error do not count. Never missing.
 */
public record MedicationFeature(String name, List<String> rxnorm, Period lookback) implements FeatureDefinition {

    public MedicationFeature {
        FeatureDefinition.checkName(name);
        if (rxnorm == null || rxnorm.isEmpty()) {
            throw new IllegalArgumentException("medication feature '" + name + "' needs rxnorm codes, e.g. [6809]");
        }
        rxnorm = rxnorm.stream().map(c -> ClinicalCode.parse(c, CodeSystem.RXNORM).code()).toList();
        ObservationFeature.checkLookback(name, lookback);
    }

    /** The RxNorm codes as clinical codes. */
    public List<ClinicalCode> codes() {
        return rxnorm.stream().map(c -> new ClinicalCode(CodeSystem.RXNORM, c)).toList();
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
