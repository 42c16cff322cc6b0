package org.glovebox.data.synth;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.glovebox.data.cohort.Sex;

/**
 * One generated patient: demographics, clinic visits with their measurements, diagnoses and prescriptions, and the
 * ground truth behind them (true values at the index date, true risk, outcome). No real person is behind any of it.
 *
 * @param id             patient id (a random UUID, reproducible from the seed)
 * @param hospitalId     the hospital's id
 * @param birthDate      date of birth
 * @param sex            FEMALE or MALE
 * @param truth          true, noise-free values at the index date by {@link GroundTruthModel} feature name
 * @param risk           true probability of diabetes within five years of the index date
 * @param priorDiabetes  whether diabetes was diagnosed before the index date (not at risk: excluded from studies)
 * @param outcome        whether diabetes is diagnosed within five years after the index date
 * @param visits         clinic visits in time order, before and after the index date
 * @param diagnoses      diagnoses in time order
 * @param prescriptions  prescriptions in time order
 */
public record SyntheticPatient(String id, String hospitalId, LocalDate birthDate, Sex sex, Map<String, Double> truth,
        double risk, boolean priorDiabetes, boolean outcome, List<Visit> visits, List<Diagnosis> diagnoses,
        List<Prescription> prescriptions) {

    public SyntheticPatient {
        truth = Map.copyOf(truth);
        visits = List.copyOf(visits);
        diagnoses = List.copyOf(diagnoses);
        prescriptions = List.copyOf(prescriptions);
    }

    /** Smoking status as recorded at a visit, with its SNOMED CT code. */
    public enum SmokingStatus {
        NEVER("266919005", "Never smoked tobacco (finding)"),
        FORMER("8517006", "Ex-smoker (finding)"),
        CURRENT("449868002", "Smokes tobacco daily (finding)");

        public final String snomed;
        public final String display;

        SmokingStatus(String snomed, String display) {
            this.snomed = snomed;
            this.display = display;
        }
    }

    /** Conditions the generator diagnoses, with SNOMED CT and ICD-10 codes. */
    public enum Disorder {
        HYPERTENSION("59621000", "Essential hypertension (disorder)", "I10", "Essential (primary) hypertension"),
        PREDIABETES("15777000", "Prediabetes (finding)", "R73.03", "Prediabetes"),
        DIABETES("44054006", "Diabetes mellitus type 2 (disorder)", "E11.9", "Type 2 diabetes mellitus without"
                + " complications");

        public final String snomed;
        public final String snomedDisplay;
        public final String icd10;
        public final String icd10Display;

        Disorder(String snomed, String snomedDisplay, String icd10, String icd10Display) {
            this.snomed = snomed;
            this.snomedDisplay = snomedDisplay;
            this.icd10 = icd10;
            this.icd10Display = icd10Display;
        }
    }

    /** Drugs the generator prescribes, with RxNorm clinical-drug codes. */
    public enum Drug {
        LISINOPRIL("314076", "lisinopril 10 MG Oral Tablet"),
        AMLODIPINE("197361", "amlodipine 5 MG Oral Tablet"),
        HYDROCHLOROTHIAZIDE("310798", "hydrochlorothiazide 25 MG Oral Tablet"),
        ATORVASTATIN("617310", "atorvastatin 20 MG Oral Tablet"),
        METFORMIN("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet");

        public final String rxnorm;
        public final String display;

        Drug(String rxnorm, String display) {
            this.rxnorm = rxnorm;
            this.display = display;
        }

        /** The drugs that treat hypertension. */
        public static final List<Drug> ANTIHYPERTENSIVES = List.of(LISINOPRIL, AMLODIPINE, HYDROCHLOROTHIAZIDE);
    }

    /**
     * One clinic visit. NaN means "not measured at this visit".
     *
     * @param time            when the visit took place (with the hospital's UTC offset)
     * @param bmi             BMI, kg/m2
     * @param bmiValueAbsent  whether a BMI observation was recorded without a value (a data-quality defect)
     * @param systolic        systolic blood pressure, mm[Hg]
     * @param diastolic       diastolic blood pressure, mm[Hg]
     * @param heartRate       heart rate, /min
     * @param hba1c           HbA1c, %
     * @param cholesterol     total cholesterol in the hospital's unit (mg/dL, or mmol/L when {@code cholesterolInMmol})
     * @param cholesterolInMmol whether {@code cholesterol} is in mmol/L
     * @param smoking         smoking status recorded at the visit
     */
    public record Visit(OffsetDateTime time, double bmi, boolean bmiValueAbsent, double systolic, double diastolic,
            double heartRate, double hba1c, double cholesterol, boolean cholesterolInMmol, SmokingStatus smoking) {

        /** Total cholesterol in mg/dL, NaN when not measured. */
        public double cholesterolMgPerDl() {
            return cholesterolInMmol ? cholesterol * SyntheticHospitalGenerator.CHOLESTEROL_MG_PER_MMOL : cholesterol;
        }
    }

    /** A diagnosis and when it started. */
    public record Diagnosis(Disorder disorder, LocalDate onset) {
    }

    /** A prescription and when it was written. */
    public record Prescription(Drug drug, LocalDate authoredOn) {
    }
}
