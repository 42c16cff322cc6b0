package org.glovebox.data.synth;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.glovebox.data.cohort.Sex;
import org.glovebox.data.synth.SyntheticPatient.Diagnosis;
import org.glovebox.data.synth.SyntheticPatient.Disorder;
import org.glovebox.data.synth.SyntheticPatient.Drug;
import org.glovebox.data.synth.SyntheticPatient.Prescription;
import org.glovebox.data.synth.SyntheticPatient.SmokingStatus;
import org.glovebox.data.synth.SyntheticPatient.Visit;

/**
 * Generates realistic synthetic patients for a {@link HospitalProfile}: correlated risk factors (blood pressure and
 * HbA1c rise with BMI and age), noisy repeated measurements at 1-4 visits in the three years before the index date (plus
 * older and later visits that a correct time window must ignore), diagnoses and treatments that follow the
 * measurements, and an incident type 2 diabetes outcome drawn from {@link GroundTruthModel#DIABETES_5Y}.
 *
 * <p>Deterministic: the same hospital, patient number and seed always give the same patient, independent of how many
 * other patients or hospitals are generated (each patient has its own {@link SplittableRandom} derived from them).
 * This is synthetic data, not cryptography, so a seeded generator is the right tool.
 */
public final class SyntheticHospitalGenerator {

    /** The index date of the synthetic studies. */
    public static final LocalDate INDEX_DATE = LocalDate.of(2020, 1, 1);

    /** Years after the index date in which the outcome is observed. */
    public static final int OUTCOME_YEARS = 5;

    /** Years before the index date whose measurements the example cohorts use. */
    public static final int LOOKBACK_YEARS = 3;

    /** mg/dL per mmol/L of total cholesterol. */
    public static final double CHOLESTEROL_MG_PER_MMOL = 38.67;

    private final GroundTruthModel model;

    public SyntheticHospitalGenerator() {
        this(GroundTruthModel.DIABETES_5Y);
    }

    public SyntheticHospitalGenerator(GroundTruthModel model) {
        this.model = model;
    }

    /** The model that decides outcomes. */
    public GroundTruthModel model() {
        return model;
    }

    /** {@code count} patients of a hospital, generated lazily in order. */
    public Stream<SyntheticPatient> patients(HospitalProfile hospital, int count, long seed) {
        long hospitalSeed = mix(seed, hospital.id().hashCode());
        return IntStream.range(0, count).mapToObj(i -> patient(hospital, new SplittableRandom(mix(hospitalSeed, i))));
    }

    private SyntheticPatient patient(HospitalProfile h, SplittableRandom rnd) {
        String id = new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L,
                (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        boolean female = rnd.nextDouble() < h.femaleShare();
        int age = (int) clamp(rnd.nextGaussian(h.ageMean(), h.ageSd()), 18, 90);
        LocalDate birth = INDEX_DATE.minusYears(age).minusDays(rnd.nextInt(1, 365));
        boolean smoker = rnd.nextDouble() < h.smokingShare();
        SmokingStatus smoking = smoker ? SmokingStatus.CURRENT
                : rnd.nextDouble() < 0.3 ? SmokingStatus.FORMER : SmokingStatus.NEVER;
        double bmi = clamp(rnd.nextGaussian(h.bmiMean() - (female ? 0.4 : 0), h.bmiSd()), 16, 60);
        double sbp = clamp(102 + 0.45 * age + 0.85 * (bmi - 25) + (female ? -3 : 2) + h.systolicOffset()
                + rnd.nextGaussian(0, 12), 88, 220);
        double dbp = clamp(0.45 * sbp + 18 + rnd.nextGaussian(0, 6), 50, 130);
        double hba1c = clamp(5.3 + 0.045 * (bmi - 25) + 0.012 * (age - 50) + h.hba1cOffset()
                + rnd.nextGaussian(0, 0.45), 4.0, 13.0);
        double cholesterol = clamp(h.cholesterolMean() + 0.7 * (age - 50) + (female ? 6 : 0)
                + rnd.nextGaussian(0, 35), 110, 380);

        List<Diagnosis> diagnoses = new ArrayList<>();
        List<Prescription> prescriptions = new ArrayList<>();
        boolean hypertension = rnd.nextDouble() < (sbp >= 140 ? 0.8 : 0.06);
        if (hypertension) {
            LocalDate onset = daysBeforeIndex(rnd, 30, 3650);
            diagnoses.add(new Diagnosis(Disorder.HYPERTENSION, onset));
            if (rnd.nextDouble() < 0.75) {
                Drug drug = Drug.ANTIHYPERTENSIVES.get(rnd.nextInt(Drug.ANTIHYPERTENSIVES.size()));
                prescriptions.add(new Prescription(drug, between(rnd, onset, INDEX_DATE.minusDays(1))));
            }
        }
        boolean priorDiabetes = hba1c >= 6.5 && rnd.nextDouble() < 0.85;
        if (priorDiabetes) {
            LocalDate onset = daysBeforeIndex(rnd, 30, 2920);
            diagnoses.add(new Diagnosis(Disorder.DIABETES, onset));
            prescriptions.add(new Prescription(Drug.METFORMIN, between(rnd, onset, INDEX_DATE.minusDays(1))));
        } else if (hba1c >= 5.7 && rnd.nextDouble() < 0.4) {
            diagnoses.add(new Diagnosis(Disorder.PREDIABETES, daysBeforeIndex(rnd, 30, 1460)));
        }
        if (cholesterol > 240 && rnd.nextDouble() < 0.45) {
            prescriptions.add(new Prescription(Drug.ATORVASTATIN, daysBeforeIndex(rnd, 30, 1460)));
        }

        Map<String, Double> truth = new LinkedHashMap<>();
        truth.put("age", (double) age);
        truth.put("sex_female", female ? 1.0 : 0.0);
        truth.put("bmi", bmi);
        truth.put("sbp", sbp);
        truth.put("hba1c", hba1c);
        truth.put("cholesterol", cholesterol);
        truth.put("smoker", smoker ? 1.0 : 0.0);
        truth.put("hypertension", hypertension ? 1.0 : 0.0);
        double risk = model.probability(truth);
        boolean outcome = !priorDiabetes && rnd.nextDouble() < risk;
        if (outcome) {
            diagnoses.add(new Diagnosis(Disorder.DIABETES, INDEX_DATE.plusDays(rnd.nextInt(1, 365 * OUTCOME_YEARS))));
        }

        List<Visit> visits = visits(h, rnd, bmi, sbp, dbp, hba1c, cholesterol, smoking);
        diagnoses.sort(Comparator.comparing(Diagnosis::onset));
        prescriptions.sort(Comparator.comparing(Prescription::authoredOn));
        return new SyntheticPatient(id, h.id(), birth, female ? Sex.FEMALE : Sex.MALE, truth, risk, priorDiabetes,
                outcome, visits, diagnoses, prescriptions);
    }

    private static List<Visit> visits(HospitalProfile h, SplittableRandom rnd, double bmi, double sbp, double dbp,
            double hba1c, double cholesterol, SmokingStatus smoking) {
        List<LocalDate> days = new ArrayList<>();
        int lookbackDays = LOOKBACK_YEARS * 365;
        int inWindow = 1 + rnd.nextInt(4);
        for (int i = 0; i < inWindow; i++) {
            days.add(daysBeforeIndex(rnd, 2, lookbackDays - 2));
        }
        if (rnd.nextDouble() < 0.5) {
            days.add(daysBeforeIndex(rnd, lookbackDays + 10, lookbackDays + 730));
        }
        if (rnd.nextDouble() < 0.6) {
            days.add(INDEX_DATE.plusDays(rnd.nextInt(30, 700)));
        }
        days = days.stream().distinct().sorted().toList();
        LocalDate latestInWindow = days.stream().filter(d -> d.isBefore(INDEX_DATE)
                && !d.isBefore(INDEX_DATE.minusYears(LOOKBACK_YEARS))).max(Comparator.naturalOrder()).orElseThrow();
        boolean hasHba1c = rnd.nextDouble() < h.hba1cMeasuredShare();
        boolean hasCholesterol = rnd.nextDouble() < h.cholesterolMeasuredShare();
        ZoneOffset offset = h.cholesterolInMmol() ? ZoneOffset.ofHours(1) : ZoneOffset.ofHours(-5);
        List<Visit> out = new ArrayList<>(days.size());
        for (LocalDate day : days) {
            OffsetDateTime time = OffsetDateTime.of(day, LocalTime.of(8 + rnd.nextInt(9), rnd.nextInt(4) * 15), offset);
            boolean labDay = day.equals(latestInWindow) || rnd.nextDouble() < 0.4;
            double a1c = hasHba1c && labDay ? round(clamp(hba1c + rnd.nextGaussian(0, 0.12), 4, 14), 1) : Double.NaN;
            double chol = Double.NaN;
            if (hasCholesterol && labDay) {
                double mg = clamp(cholesterol + rnd.nextGaussian(0, 9), 100, 400);
                chol = h.cholesterolInMmol() ? round(mg / CHOLESTEROL_MG_PER_MMOL, 2) : Math.round(mg);
            }
            out.add(new Visit(time,
                    round(clamp(bmi + rnd.nextGaussian(0, 0.35), 15, 65), 1),
                    rnd.nextDouble() < 0.005,
                    Math.round(clamp(sbp + rnd.nextGaussian(0, 7), 80, 240)),
                    Math.round(clamp(dbp + rnd.nextGaussian(0, 5), 40, 140)),
                    Math.round(clamp(rnd.nextGaussian(72, 10), 40, 160)),
                    a1c, chol, h.cholesterolInMmol(), smoking));
        }
        return out;
    }

    private static LocalDate daysBeforeIndex(SplittableRandom rnd, int minDays, int maxDays) {
        return INDEX_DATE.minusDays(rnd.nextInt(minDays, maxDays + 1));
    }

    private static LocalDate between(SplittableRandom rnd, LocalDate from, LocalDate to) {
        long span = to.toEpochDay() - from.toEpochDay();
        return span <= 0 ? from : from.plusDays(rnd.nextLong(span + 1));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** SplitMix64 of two words: independent, well-spread seeds from (seed, index). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
