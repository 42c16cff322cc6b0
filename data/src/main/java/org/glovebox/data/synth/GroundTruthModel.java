package org.glovebox.data.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The known logistic model that decides, for every synthetic patient, the risk of developing type 2 diabetes within
 * five years of the index date: {@code logit p = intercept + sum(coefficient_i * x_i)} over the patient's true
 * (noise-free) values at the index date. Coefficients are per unit of the feature as the example cohorts extract it
 * (years, kg/m2, mm[Hg], %, mg/dL, 0/1), so a logistic regression fitted to the extracted matrix can be compared with
 * them directly; measurement noise, missing labs and imputation attenuate fitted values somewhat.
 */
public final class GroundTruthModel {

    /** The model used by {@link SyntheticHospitalGenerator}. */
    public static final GroundTruthModel DIABETES_5Y = new GroundTruthModel(-17.5, diabetesCoefficients());

    private final double intercept;
    private final Map<String, Double> coefficients;

    private GroundTruthModel(double intercept, Map<String, Double> coefficients) {
        this.intercept = intercept;
        this.coefficients = Collections.unmodifiableMap(new LinkedHashMap<>(coefficients));
    }

    private static Map<String, Double> diabetesCoefficients() {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("age", 0.030);
        c.put("sex_female", -0.20);
        c.put("bmi", 0.110);
        c.put("sbp", 0.012);
        c.put("hba1c", 1.45);
        c.put("cholesterol", 0.003);
        c.put("smoker", 0.40);
        c.put("hypertension", 0.30);
        return c;
    }

    /** The intercept (log-odds for a patient whose features are all 0). */
    public double intercept() {
        return intercept;
    }

    /** The coefficients by feature name, in the example cohorts' column order. */
    public Map<String, Double> coefficients() {
        return coefficients;
    }

    /** The log-odds for a patient's true values, given by feature name. */
    public double logit(Map<String, Double> features) {
        double z = intercept;
        for (var e : coefficients.entrySet()) {
            Double x = features.get(e.getKey());
            if (x == null) {
                throw new IllegalArgumentException("missing value for " + e.getKey());
            }
            z += e.getValue() * x;
        }
        return z;
    }

    /** The probability of the outcome for a patient's true values. */
    public double probability(Map<String, Double> features) {
        return 1 / (1 + Math.exp(-logit(features)));
    }
}
