package org.glovebox.data.cohort;

/** Administrative sex as in FHIR {@code Patient.gender}. */
public enum Sex {
    FEMALE, MALE, OTHER, UNKNOWN
}
