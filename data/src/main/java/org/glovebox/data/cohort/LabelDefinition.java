package org.glovebox.data.cohort;

import java.time.Period;
import java.util.List;
import java.util.Locale;

/**
 * The binary outcome of the study.
 *
 * <p>FHIR cohorts: {@code codes} (SNOMED CT / ICD-10) and {@code within}: the label is 1 when a matching Condition
 * starts after the index date and no later than {@code within} after it, else 0. Patients who already had the condition
 * on or before the index date are excluded unless the population says otherwise.
 *
 * <p>CSV cohorts: {@code column} plus {@code positive} (cell values meaning 1) or {@code positiveAbove} (numbers greater
 * than this mean 1). When {@code negative} is given, any cell that is neither positive nor negative is an error, which
 * catches miscoded labels; otherwise every other non-missing value means 0.
 *
 * @param name          label name (default {@code label})
 * @param codes         condition codes (FHIR)
 * @param within        window after the index date (FHIR)
 * @param column        label column (CSV)
 * @param positive      values meaning 1 (CSV)
 * @param positiveAbove threshold: numbers above it mean 1 (CSV)
 * @param negative      values meaning 0 (CSV, optional)
 */
public record LabelDefinition(String name, List<ClinicalCode> codes, Period within, String column,
        List<String> positive, Double positiveAbove, List<String> negative) {

    public LabelDefinition {
        name = name == null ? "label" : FeatureDefinition.checkName(name);
        boolean fhir = codes != null || within != null;
        boolean csv = column != null || positive != null || positiveAbove != null || negative != null;
        if (fhir == csv) {
            throw new IllegalArgumentException("label '" + name + "' needs either codes + within (FHIR) or column +"
                    + " positive/positiveAbove (CSV)");
        }
        if (fhir) {
            codes = ConditionFeature.checkConditionCodes("label '" + name + "'", codes);
            if (within == null || within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("label '" + name + "' needs a positive 'within' period, e.g. P5Y");
            }
        } else {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("label '" + name + "' needs a column");
            }
            column = column.strip();
            if ((positive == null) == (positiveAbove == null)) {
                throw new IllegalArgumentException("label '" + name + "' needs exactly one of positive (list of values)"
                        + " or positiveAbove (number)");
            }
            if (positiveAbove != null && !Double.isFinite(positiveAbove)) {
                throw new IllegalArgumentException("label '" + name + "': positiveAbove must be a finite number");
            }
            positive = positive == null ? null : positive.stream().map(String::strip).toList();
            negative = negative == null ? null : negative.stream().map(String::strip).toList();
        }
    }

    /** Whether the label comes from FHIR conditions (else from a CSV column). */
    public boolean isFhir() {
        return codes != null;
    }

    /**
     * The 0/1 label for a CSV cell, NaN when the cell is not a valid label.
     *
     * @param cell the stripped cell text (not a missing token)
     */
    public double labelOfCell(String cell) {
        if (positiveAbove != null) {
            double v = parseNumber(cell);
            return Double.isNaN(v) ? Double.NaN : (v > positiveAbove ? 1.0 : 0.0);
        }
        if (matchesAny(positive, cell)) {
            return 1.0;
        }
        if (negative == null) {
            return 0.0;
        }
        return matchesAny(negative, cell) ? 0.0 : Double.NaN;
    }

    /** Values match as text or, when both are numbers, numerically ({@code 1} matches {@code 1.0}). */
    private static boolean matchesAny(List<String> values, String cell) {
        double numeric = parseNumber(cell);
        for (String v : values) {
            if (v.equals(cell) || v.toLowerCase(Locale.ROOT).equals(cell.toLowerCase(Locale.ROOT))) {
                return true;
            }
            if (!Double.isNaN(numeric) && parseNumber(v) == numeric) {
                return true;
            }
        }
        return false;
    }

    private static double parseNumber(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
