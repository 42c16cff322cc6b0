package org.glovebox.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The patient mix and recording habits of one synthetic hospital. Hospitals differ on purpose (age, sex, BMI, blood
 * pressure, HbA1c, cholesterol, smoking, how often labs are measured, the unit they report cholesterol in, the
 * terminology of their diagnoses), as real
 * sites in a federated study do, while the disease mechanism ({@link GroundTruthModel}) is the same everywhere.
 *
 * @param id                  short identifier used for folder and file names
 * @param name                display name
 * @param ageMean             mean age at the index date, years
 * @param ageSd               standard deviation of age
 * @param femaleShare         fraction of female patients
 * @param bmiMean             mean BMI, kg/m2
 * @param bmiSd               standard deviation of BMI
 * @param systolicOffset      added to every systolic pressure (care and population differences), mm[Hg]
 * @param hba1cOffset         added to every HbA1c, %
 * @param cholesterolMean     mean total cholesterol at age 50, mg/dL
 * @param smokingShare        fraction of current smokers
 * @param hba1cMeasuredShare  fraction of patients with at least one HbA1c
 * @param cholesterolMeasuredShare fraction of patients with at least one total cholesterol
 * @param cholesterolInMmol   whether the lab reports cholesterol in mmol/L (else mg/dL)
 * @param diagnosisCoding     how the hospital codes diagnoses
 */
public record HospitalProfile(String id, String name, double ageMean, double ageSd, double femaleShare,
        double bmiMean, double bmiSd, double systolicOffset, double hba1cOffset, double cholesterolMean,
        double smokingShare, double hba1cMeasuredShare, double cholesterolMeasuredShare, boolean cholesterolInMmol,
        DiagnosisCoding diagnosisCoding) {

    /** The terminologies a hospital codes its diagnoses in; real sites differ. */
    public enum DiagnosisCoding {
        /** SNOMED CT only (as many US EHRs and Synthea do). */
        SNOMED,
        /** SNOMED CT plus ICD-10-CM (US billing). */
        SNOMED_AND_ICD10CM,
        /** WHO ICD-10 only (as many European hospitals do). */
        ICD10
    }

    public HospitalProfile {
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("hospital id must be lower-case letters, digits and '-'");
        }
        for (double share : new double[] {femaleShare, smokingShare, hba1cMeasuredShare, cholesterolMeasuredShare}) {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("shares must be between 0 and 1");
            }
        }
    }

    /** An urban teaching hospital: younger patients, average BMI, most labs measured, diagnoses in SNOMED CT. */
    public static final HospitalProfile RIVERSIDE = new HospitalProfile("riverside-general", "Riverside General",
            47, 15, 0.53, 27.4, 5.0, 0, 0, 195, 0.21, 0.70, 0.80, false, DiagnosisCoding.SNOMED);

    /** A rural hospital: older, heavier, more smokers, fewer labs, diagnoses in SNOMED CT and ICD-10-CM. */
    public static final HospitalProfile NORTHFIELD = new HospitalProfile("northfield-rural", "Northfield Rural",
            58, 14, 0.48, 29.6, 5.6, 4, 0.15, 205, 0.29, 0.55, 0.65, false, DiagnosisCoding.SNOMED_AND_ICD10CM);

    /** A European university hospital: leaner, fewer smokers, cholesterol in mmol/L, diagnoses in ICD-10. */
    public static final HospitalProfile LAKESIDE = new HospitalProfile("lakeside-university", "Lakeside University",
            53, 16, 0.56, 25.9, 4.4, -3, -0.05, 210, 0.16, 0.85, 0.90, true, DiagnosisCoding.ICD10);

    /**
     * {@code count} hospitals: the three above, then variations of them with parameters drawn from {@code seed}.
     */
    public static List<HospitalProfile> defaults(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one hospital");
        }
        List<HospitalProfile> base = List.of(RIVERSIDE, NORTHFIELD, LAKESIDE);
        List<HospitalProfile> out = new ArrayList<>(base.subList(0, Math.min(count, base.size())));
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EEDL);
        for (int i = base.size(); i < count; i++) {
            HospitalProfile b = base.get(i % base.size());
            out.add(new HospitalProfile(String.format(Locale.ROOT, "hospital-%02d", i + 1),
                    String.format(Locale.ROOT, "Hospital %d", i + 1),
                    b.ageMean + rnd.nextDouble(-6, 6), b.ageSd, clamp(b.femaleShare + rnd.nextDouble(-0.05, 0.05)),
                    b.bmiMean + rnd.nextDouble(-1.5, 1.5), b.bmiSd, b.systolicOffset + rnd.nextDouble(-4, 4),
                    b.hba1cOffset + rnd.nextDouble(-0.1, 0.1), b.cholesterolMean + rnd.nextDouble(-15, 15),
                    clamp(b.smokingShare + rnd.nextDouble(-0.06, 0.06)),
                    clamp(b.hba1cMeasuredShare + rnd.nextDouble(-0.1, 0.1)),
                    clamp(b.cholesterolMeasuredShare + rnd.nextDouble(-0.1, 0.1)), rnd.nextBoolean(),
                    b.diagnosisCoding));
        }
        return out;
    }

    private static double clamp(double share) {
        return Math.max(0.02, Math.min(0.98, share));
    }
}
