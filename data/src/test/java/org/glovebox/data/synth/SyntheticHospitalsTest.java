package org.glovebox.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.glovebox.data.CohortResult;
import org.glovebox.data.Cohorts;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.synth.SyntheticHospitals.Format;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticHospitalsTest {

    /** Enough patients to compare the FHIR and CSV paths; HAPI FHIR encoding makes larger sets slow to write. */
    private static final int PATIENTS = 300;
    /** Enough patients for stable statistics; CSV only, which is cheap to write. */
    private static final int CSV_PATIENTS = 4000;
    private static final long SEED = 42;

    @TempDir
    static Path out;

    @TempDir
    static Path csvOut;

    static SyntheticHospitals.Summary summary;
    static SyntheticHospitals.Summary csvSummary;

    @BeforeAll
    static void writeThreeHospitals() {
        summary = new SyntheticHospitals().write(out, HospitalProfile.defaults(3, SEED), PATIENTS, SEED,
                EnumSet.allOf(Format.class));
        csvSummary = new SyntheticHospitals().write(csvOut, HospitalProfile.defaults(3, SEED), CSV_PATIENTS, SEED,
                EnumSet.of(Format.CSV));
    }

    @Test
    void writesEveryFormatForEveryHospital() {
        assertThat(summary.hospitals()).hasSize(3);
        for (var h : summary.hospitals()) {
            assertThat(h.patients()).isEqualTo(PATIENTS);
            assertThat(h.folder().resolve("fhir/Patient.ndjson")).exists();
            assertThat(h.folder().resolve("fhir/Observation.ndjson")).exists();
            assertThat(h.folder().resolve("fhir/Condition.ndjson")).exists();
            assertThat(h.folder().resolve("fhir/MedicationRequest.ndjson")).exists();
            assertThat(h.folder().resolve("fhir-bundles/bundle-0001.json")).exists();
            assertThat(h.folder().resolve(h.profile().id() + ".csv")).exists();
        }
        assertThat(out.resolve("ground-truth.json")).content().contains("\"coefficients\"", "\"hba1c\"");
    }

    @Test
    void fhirNdjsonBundlesAndCsvGiveTheSameMatrix() {
        for (var h : summary.hospitals()) {
            CohortResult ndjson = Cohorts.load(CohortDefinitions.example("synthetic-diabetes-fhir"),
                    h.folder().resolve("fhir"));
            CohortResult bundles = Cohorts.load(CohortDefinitions.example("synthetic-diabetes-fhir"),
                    h.folder().resolve("fhir-bundles"));
            CohortResult csv = Cohorts.load(CohortDefinitions.example("synthetic-diabetes-csv"),
                    h.folder().resolve(h.profile().id() + ".csv"));

            assertThat(ndjson.report().warnings()).isEmpty();
            assertThat(ndjson.report().ingestion().totalSkipped())
                    .isEqualTo(ndjson.report().ingestion().skipped().getOrDefault("observation without value", 0L));
            assertThat(ndjson.report().dropped()).containsKey("label condition before the index date");
            assertSameRows(ndjson.matrix(), bundles.matrix());
            assertSameRows(ndjson.matrix(), csv.matrix());
            assertThat(ndjson.matrix().columns()).isEqualTo(csv.matrix().columns());
        }
    }

    private static void assertSameRows(FeatureMatrix a, FeatureMatrix b) {
        assertThat(b.rows()).isEqualTo(a.rows());
        assertThat(b.positives()).isEqualTo(a.positives());
        Map<String, Integer> rowOf = new HashMap<>();
        for (int r = 0; r < b.rows(); r++) {
            rowOf.put(b.rowId(r), r);
        }
        for (int r = 0; r < a.rows(); r++) {
            Integer other = rowOf.get(a.rowId(r));
            assertThat(other).as("row of patient %d", r).isNotNull();
            assertThat(b.label(other)).isEqualTo(a.label(r));
            for (int c = 0; c < a.columnCount(); c++) {
                assertThat(b.get(other, c)).as(a.columns().get(c).name()).isCloseTo(a.get(r, c), within(1e-9));
            }
        }
    }

    @Test
    void sameSeedWritesIdenticalFilesAndAnotherSeedDoesNot(@TempDir Path again, @TempDir Path other) throws IOException {
        List<HospitalProfile> one = List.of(HospitalProfile.RIVERSIDE);
        EnumSet<Format> formats = EnumSet.of(Format.FHIR_NDJSON, Format.CSV);
        new SyntheticHospitals().write(again, one, 100, SEED, formats);
        new SyntheticHospitals().write(other, one, 100, SEED + 1, formats);
        Path first = out.resolve("riverside-general");
        try (Stream<Path> files = Files.walk(again.resolve("riverside-general"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = again.resolve("riverside-general").relativize(f);
                if (rel.toString().endsWith(".csv") || rel.toString().endsWith(".ndjson")) {
                    // The first 100 patients of the 300 are the same 100 patients.
                    List<String> small = Files.readAllLines(f);
                    List<String> large = Files.readAllLines(first.resolve(rel));
                    assertThat(large).startsWith(small.toArray(String[]::new));
                    assertThat(Files.readAllLines(other.resolve("riverside-general").resolve(rel))).isNotEqualTo(small);
                }
            }
        }
    }

    @Test
    void hospitalsDiffer() {
        Map<String, double[]> means = new HashMap<>();
        for (var h : csvSummary.hospitals()) {
            FeatureMatrix m = Cohorts.load(CohortDefinitions.example("synthetic-diabetes-csv"),
                    h.folder().resolve(h.profile().id() + ".csv")).matrix();
            means.put(h.profile().id(), new double[] {mean(m.column(m.columnIndex("age"))),
                mean(m.column(m.columnIndex("bmi"))), mean(m.column(m.columnIndex("smoker")))});
        }
        double[] riverside = means.get("riverside-general");
        double[] northfield = means.get("northfield-rural");
        double[] lakeside = means.get("lakeside-university");
        assertThat(northfield[0]).isGreaterThan(riverside[0] + 5);
        assertThat(northfield[1]).isGreaterThan(lakeside[1] + 2);
        assertThat(northfield[2]).isGreaterThan(lakeside[2] + 0.05);
    }

    @Test
    void fittedModelPointsTheSameWayAsTheGroundTruth() {
        // Pool the three hospitals' CSV extracts and fit a plaintext logistic regression (Newton's method).
        List<FeatureMatrix> parts = csvSummary.hospitals().stream().map(h -> Cohorts.load(
                CohortDefinitions.example("synthetic-diabetes-csv"), h.folder().resolve(h.profile().id() + ".csv"))
                .matrix()).toList();
        FeatureMatrix first = parts.get(0);
        int d = first.columnCount();
        List<double[]> rows = new java.util.ArrayList<>();
        List<Double> labels = new java.util.ArrayList<>();
        for (FeatureMatrix m : parts) {
            for (int r = 0; r < m.rows(); r++) {
                rows.add(m.row(r));
                labels.add(m.label(r));
            }
        }
        double[] beta = LogisticRegressionForTest.fit(rows, labels, d);
        Map<String, Double> truth = GroundTruthModel.DIABETES_5Y.coefficients();
        for (String feature : List.of("age", "bmi", "sbp", "hba1c", "smoker", "hypertension")) {
            int c = first.columnIndex(feature);
            assertThat(Math.signum(beta[c + 1])).as(feature).isEqualTo(Math.signum(truth.get(feature)));
        }
        // The strongest effect is recovered within a factor of two.
        assertThat(beta[first.columnIndex("hba1c") + 1]).isBetween(truth.get("hba1c") / 2, truth.get("hba1c") * 2);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
