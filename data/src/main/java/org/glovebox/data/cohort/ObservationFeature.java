package org.glovebox.data.cohort;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glovebox.data.FeatureKind;

/**
 * A number derived from the patient's Observations with one of the given LOINC codes (also found as a component, as
 * for blood pressure, whose systolic and diastolic values are components of a panel) taken on or before the index date
 * and, when {@code lookback} is given, not longer ago than that. Several codes serve labs that code the same quantity
 * differently (total cholesterol as mass {@code 2093-3} or as moles {@code 14647-2} per volume).
 *
 * <p>Quantities must be in {@code unit} (a UCUM code compared exactly, e.g. {@code kg/m2}, {@code mm[Hg]},
 * {@code mg/dL}) or in a unit listed in {@code convert} with the factor that turns it into {@code unit} (for total
 * cholesterol: {@code mmol/L: 38.67}); any other unit is a unit mismatch, handled as the cohort's error policy says.
 * For coded observations (smoking status), {@code valueCodes} lists the answers that count as 1; others count as 0.
 *
 * @param name        column name
 * @param loinc       LOINC code(s) of the observation or component; one code or a list
 * @param aggregate   how several observations become one value (default {@link Aggregation#LATEST})
 * @param unit        expected UCUM unit of quantity values (required unless {@code aggregate} is COUNT or the
 *                    observation is coded)
 * @param convert     other accepted units and the factor converting each to {@code unit}
 * @param lookback    how far before the index date observations still count (null: any time before)
 * @param valueCodes  coded answers that count as 1 (makes this a coded, binary feature)
 * @param missing     this feature's missing-value policy, or null for the cohort default
 */
public record ObservationFeature(String name,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> loinc, Aggregation aggregate,
        String unit,
        Map<String, Double> convert, Period lookback, List<ClinicalCode> valueCodes, MissingValuePolicy missing)
        implements FeatureDefinition {

    public ObservationFeature {
        FeatureDefinition.checkName(name);
        if (loinc == null || loinc.isEmpty()) {
            throw new IllegalArgumentException("observation feature '" + name + "' needs a loinc code");
        }
        loinc = loinc.stream().map(c -> ClinicalCode.parse(c, CodeSystem.LOINC).code()).toList();
        aggregate = aggregate == null ? Aggregation.LATEST : aggregate;
        convert = convert == null ? Map.of() : Map.copyOf(convert);
        valueCodes = valueCodes == null ? List.of() : List.copyOf(valueCodes);
        boolean needsUnit = aggregate != Aggregation.COUNT && valueCodes.isEmpty();
        if (needsUnit && (unit == null || unit.isBlank())) {
            throw new IllegalArgumentException("observation feature '" + name + "' needs a unit (UCUM code such as"
                    + " kg/m2) so that values in other units are caught");
        }
        if (!needsUnit && !convert.isEmpty()) {
            throw new IllegalArgumentException("observation feature '" + name + "': convert applies only to"
                    + " quantity values");
        }
        unit = unit == null ? "" : unit.strip();
        for (var e : convert.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue()) || e.getValue() <= 0) {
                throw new IllegalArgumentException("observation feature '" + name + "': conversion factor for unit '"
                        + e.getKey() + "' must be a positive number");
            }
        }
        checkLookback(name, lookback);
        if (aggregate == Aggregation.COUNT && missing != null) {
            throw new IllegalArgumentException("observation feature '" + name + "' counts observations and is never"
                    + " missing: remove its missing-value policy");
        }
    }

    static void checkLookback(String name, Period lookback) {
        if (lookback != null && (lookback.isNegative() || lookback.isZero())) {
            throw new IllegalArgumentException("feature '" + name + "': lookback must be a positive period such as P2Y");
        }
    }

    /** The LOINC codes as clinical codes. */
    public List<ClinicalCode> codes() {
        return loinc.stream().map(c -> new ClinicalCode(CodeSystem.LOINC, c)).toList();
    }

    /** Whether the observation's value is a code (mapped to 0/1) rather than a quantity. */
    public boolean isCoded() {
        return !valueCodes.isEmpty();
    }

    /** The factor converting a value in {@code valueUnit} to this feature's unit, or NaN when not accepted. */
    public double conversionFactor(String valueUnit) {
        if (valueUnit == null) {
            return Double.NaN;
        }
        String u = valueUnit.strip();
        if (u.equals(unit)) {
            return 1.0;
        }
        Double f = convert.get(u);
        return f == null ? Double.NaN : f;
    }

    @Override
    public FeatureKind kind() {
        if (aggregate == Aggregation.COUNT) {
            return FeatureKind.COUNT;
        }
        return isCoded() && aggregate != Aggregation.MEAN ? FeatureKind.BINARY : FeatureKind.CONTINUOUS;
    }

    @Override
    public boolean canBeMissing() {
        return aggregate != Aggregation.COUNT;
    }

    @Override
    public String unit() {
        return aggregate == Aggregation.COUNT || isCoded() ? "" : Objects.requireNonNullElse(unit, "");
    }
}
