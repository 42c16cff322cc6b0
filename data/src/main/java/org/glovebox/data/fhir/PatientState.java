package org.glovebox.data.fhir;

/**
 * Everything a cohort needs to know about one patient, accumulated while resources stream past: demographics from the
 * Patient resource, one {@link ObservationAggregate} per observation feature, presence flags for condition and
 * medication features, and whether the label condition occurred before or inside the label window.
 */
final class PatientState {

    static final byte SEX_MISSING = -1;

    boolean hasPatientResource;
    long birthDay = FhirDates.NONE;
    byte sex = SEX_MISSING;
    long deceasedDay = FhirDates.NONE;
    boolean deceasedWithoutDate;
    ObservationAggregate[] observations;
    boolean[] present;
    boolean labelBeforeIndex;
    boolean labelInWindow;

    PatientState(int observationFeatures, int presenceFeatures) {
        observations = new ObservationAggregate[observationFeatures];
        present = new boolean[presenceFeatures];
    }

    ObservationAggregate observation(int index) {
        ObservationAggregate a = observations[index];
        if (a == null) {
            a = new ObservationAggregate();
            observations[index] = a;
        }
        return a;
    }
}
