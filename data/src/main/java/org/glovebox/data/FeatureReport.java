package org.glovebox.data;

/**
 * Missing-value accounting for one feature.
 *
 * @param name         feature name
 * @param kind         kind of values
 * @param unit         unit of values
 * @param policy       the missing-value policy applied ({@code drop}, {@code mean}, {@code constant 0.0}, or
 *                     {@code never missing})
 * @param eligible     patients/records that passed the population criteria
 * @param missing      how many of them lacked a value
 * @param imputed      how many values were imputed in the final matrix
 * @param imputedWith  the value imputed (a constant or an aggregate mean), NaN when nothing was imputed
 */
public record FeatureReport(String name, FeatureKind kind, String unit, String policy, long eligible, long missing,
        long imputed, double imputedWith) {

    /** Fraction of eligible patients without a value (0 when there were none). */
    public double missingRate() {
        return eligible == 0 ? 0 : (double) missing / eligible;
    }
}
