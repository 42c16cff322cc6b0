package org.glovebox.data;

/** What the numbers of a feature column mean, so that models and summaries can treat them appropriately. */
public enum FeatureKind {
    /** A measured quantity (age in years, BMI in kg/m2, a lab value). */
    CONTINUOUS,
    /** 0 or 1: absent or present (a diagnosis, a medication, sex coded as female = 1). */
    BINARY,
    /** A non-negative whole number (how many times an observation was recorded). */
    COUNT,
    /** A code stored as a number (chest-pain type 1-4); its order carries no meaning. */
    CATEGORICAL
}
