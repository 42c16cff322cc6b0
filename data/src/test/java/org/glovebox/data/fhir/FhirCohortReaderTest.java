package org.glovebox.data.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glovebox.data.CohortExtraction;
import org.glovebox.data.CohortResult;
import org.glovebox.data.DataInputException;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.ImputationMeans;
import org.glovebox.data.ObservedSum;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.CohortDefinitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature extraction semantics on hand-made FHIR: windows, aggregations, units, codes, label, population. */
class FhirCohortReaderTest {

    static final String COHORT = """
            name: edge-cases
            source: fhir
            indexDate: 2020-01-01
            population: {minAge: 18, maxAge: 90}
            features:
              - {name: age, type: age}
              - {name: sex_female, type: sex}
              - {name: bmi, type: observation, loinc: 39156-5, unit: kg/m2, lookback: P2Y}
              - {name: sbp_mean, type: observation, loinc: 8480-6, unit: "mm[Hg]", aggregate: mean,
                 missing: {constant: 120}}
              - {name: bp_count, type: observation, loinc: 85354-9, aggregate: count}
              - {name: chol, type: observation, loinc: 2093-3, unit: mg/dL, convert: {mmol/L: 38.67},
                 missing: {constant: 190}}
              - {name: smoker, type: observation, loinc: 72166-2, valueCodes: [snomed:449868002],
                 missing: {constant: 0}}
              - {name: htn, type: condition, codes: [snomed:59621000, icd10:I10]}
              - {name: metformin, type: medication, rxnorm: [860975]}
            label: {name: t2d, codes: [snomed:44054006, icd10:E11], within: P5Y}
            """;

    @TempDir
    Path dir;

    static CohortDefinition cohort(String yaml) {
        return CohortDefinitions.parse(yaml, "test-cohort.yaml");
    }

    static CohortResult load(String yaml, Path input) {
        return new FhirCohortReader(cohort(yaml)).read(input).build();
    }

    private Path completePatient() throws IOException {
        return Fhir.ndjson(dir.resolve("export.ndjson"),
                Fhir.patient("p1", "1970-06-15", "female"),
                Fhir.quantity("bmi-old", "p1", "39156-5", "22.0", "kg/m2", "2017-05-01"),     // before lookback
                Fhir.quantity("bmi-1", "p1", "39156-5", "30.5", "kg/m2", "2018-03-01T09:00:00+01:00"),
                Fhir.quantity("bmi-2", "p1", "39156-5", "31.5", "kg/m2", "2019-11-30T23:30:00-05:00"),
                Fhir.quantity("bmi-late", "p1", "39156-5", "40.0", "kg/m2", "2020-02-01"),    // after index
                Fhir.bloodPressure("bp-1", "p1", 120, 80, "2016-01-01"),
                Fhir.bloodPressure("bp-2", "p1", 140, 90, "2019-01-01"),
                Fhir.bloodPressure("bp-3", "p1", 200, 120, "2021-01-01"),                      // after index
                Fhir.quantity("chol", "p1", "2093-3", "5.0", "mmol/L", "2019-06-01"),
                Fhir.smoking("smoke-1", "p1", "449868002", "2018-01-01"),
                Fhir.smoking("smoke-2", "p1", "8517006", "2019-01-01"),                        // quit: latest wins
                Fhir.condition("htn", "p1", "http://hl7.org/fhir/sid/icd-10-cm", "I10", "2015-01-01"),
                Fhir.medication("rx", "p1", "860975", "2019-02-01"),
                Fhir.condition("t2d", "p1", "http://hl7.org/fhir/sid/icd-10", "E11.9", "2022-03-03"),
                "{\"resourceType\":\"Encounter\",\"id\":\"e1\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"}}");
    }

    @Test
    void extractsEveryFeatureKindWithItsWindowAndAggregation() throws IOException {
        CohortResult r = load(COHORT, completePatient());

        FeatureMatrix m = r.matrix();
        assertThat(m.rows()).isEqualTo(1);
        assertThat(m.rowId(0)).isEqualTo("p1");
        assertThat(m.get(0, m.columnIndex("age"))).isEqualTo(49);
        assertThat(m.get(0, m.columnIndex("sex_female"))).isEqualTo(1);
        assertThat(m.get(0, m.columnIndex("bmi"))).isEqualTo(31.5);
        assertThat(m.get(0, m.columnIndex("sbp_mean"))).isEqualTo(130);
        assertThat(m.get(0, m.columnIndex("bp_count"))).isEqualTo(2);
        assertThat(m.get(0, m.columnIndex("chol"))).isCloseTo(5.0 * 38.67, within(1e-9));
        assertThat(m.get(0, m.columnIndex("smoker"))).isZero();
        assertThat(m.get(0, m.columnIndex("htn"))).isEqualTo(1);
        assertThat(m.get(0, m.columnIndex("metformin"))).isEqualTo(1);
        assertThat(m.label(0)).isEqualTo(1);
        assertThat(r.report().ingestion().read()).containsEntry("Encounter", 1L).containsEntry("Observation", 10L);
        assertThat(r.report().warnings()).isEmpty();
    }

    @Test
    void missingBirthDateExcludesWhenThePopulationNeedsAnAgeAndIsImputedOtherwise() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("p.ndjson"),
                Fhir.patient("no-birth", null, "male"),
                Fhir.patient("adult", "1980-01-01", "male"),
                Fhir.quantity("b1", "no-birth", "39156-5", "25", "kg/m2", "2019-01-01"),
                Fhir.quantity("b2", "adult", "39156-5", "27", "kg/m2", "2019-01-01"));

        CohortResult restricted = load(COHORT, in);
        assertThat(restricted.report().dropped()).containsEntry("no birth date", 1L);
        assertThat(restricted.matrix().rows()).isEqualTo(1);

        String unrestricted = COHORT.replace("population: {minAge: 18, maxAge: 90}", "")
                .replace("{name: age, type: age}", "{name: age, type: age, missing: mean}");
        CohortResult imputed = load(unrestricted, in);
        assertThat(imputed.matrix().rows()).isEqualTo(2);
        assertThat(imputed.report().features().get(0).imputed()).isEqualTo(1);
        assertThat(imputed.matrix().get(imputed.matrix().rowIndex("no-birth"), 0)).isEqualTo(40);
    }

    @Test
    void observationWithoutValueIsSkippedAndThePatientLacksTheFeature() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("p.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.quantity("b1", "p1", "39156-5", null, null, "2019-01-01"));

        CohortResult r = load(COHORT, in);

        assertThat(r.report().ingestion().skipped()).containsEntry("observation without value", 1L);
        assertThat(r.report().dropped()).containsEntry("missing bmi", 1L);
        assertThat(r.report().features().get(2).missing()).isEqualTo(1);
        assertThat(r.matrix().rows()).isZero();
    }

    @Test
    void unitMismatchStopsWithTheLocationOrIsSkippedWhenAllowed() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("units.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.quantity("weird", "p1", "39156-5", "183.25", "[lb_av]/[in_i]2", "2019-01-01"),
                Fhir.quantity("fine", "p1", "39156-5", "26", "kg/m2", "2018-01-01"));

        assertThatThrownBy(() -> load(COHORT, in))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("units.ndjson:2")
                .hasMessageContaining("Observation/weird")
                .hasMessageContaining("expects unit kg/m2")
                .hasMessageContaining("[lb_av]/[in_i]2")
                .hasMessageNotContaining("183.25");

        CohortResult r = load(COHORT + "errors: {unitMismatch: skip}\n", in);
        assertThat(r.report().ingestion().skipped()).containsEntry("unit mismatch (bmi)", 1L);
        assertThat(r.matrix().get(0, r.matrix().columnIndex("bmi"))).isEqualTo(26);
    }

    @Test
    void duplicateResourcesAreCountedAndTheFirstWinsOrFailWhenAsked() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("dup.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.patient("p1", "1990-01-01", "female"),
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01"),
                Fhir.quantity("b1", "p1", "39156-5", "36", "kg/m2", "2019-06-01"));

        CohortResult r = load(COHORT, in);
        assertThat(r.report().ingestion().skipped()).containsEntry("duplicate resource", 2L);
        assertThat(r.matrix().get(0, 0)).isEqualTo(50);
        assertThat(r.matrix().get(0, r.matrix().columnIndex("bmi"))).isEqualTo(26);

        assertThatThrownBy(() -> load(COHORT + "errors: {duplicate: fail}\n", in))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("dup.ndjson:2 (Patient/p1)")
                .hasMessageContaining("duplicate resource");
    }

    @Test
    void resourcesOfOtherTypesOrForNonPatientsAreIgnoredAndCounted() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("mixed.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01"),
                Fhir.quantity("group", "Group/g1", "39156-5", "26", "kg/m2", "2019-01-01"),
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}",
                "{\"resourceType\":\"Practitioner\",\"id\":\"dr\"}");

        CohortResult r = load(COHORT, in);

        assertThat(r.report().ingestion().read()).containsEntry("OperationOutcome", 1L)
                .containsEntry("Practitioner", 1L);
        assertThat(r.report().ingestion().skipped()).containsEntry("subject is not a Patient reference", 1L);
        assertThat(r.matrix().rows()).isEqualTo(1);
    }

    @Test
    void populationCriteriaAndLabelWindow() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("population.ndjson"),
                Fhir.patient("child", "2010-01-01", "female"),
                Fhir.patient("old", "1920-01-01", "female"),
                Fhir.patient("dead", "1950-01-01", "male").replace("}", ",\"deceasedDateTime\":\"2019-05-05\"}"),
                Fhir.patient("prior", "1950-01-01", "male"),
                Fhir.patient("late", "1950-01-01", "male"),
                Fhir.patient("ok", "1950-01-01", "male"),
                Fhir.condition("c1", "prior", "http://snomed.info/sct", "44054006", "2019-12-31"),
                Fhir.condition("c2", "late", "http://snomed.info/sct", "44054006", "2025-01-02"),
                Fhir.condition("c3", "ok", "http://snomed.info/sct", "44054006", "2025-01-01"),
                Fhir.quantity("b1", "late", "39156-5", "26", "kg/m2", "2019-01-01"),
                Fhir.quantity("b2", "ok", "39156-5", "26", "kg/m2", "2019-01-01"),
                Fhir.quantity("b3", "orphan", "39156-5", "26", "kg/m2", "2019-01-01"));

        CohortResult r = load(COHORT, in);

        assertThat(r.report().dropped()).containsEntry("age outside 18-90", 2L)
                .containsEntry("died before the index date", 1L)
                .containsEntry("label condition before the index date", 1L)
                .containsEntry("no Patient resource (only referenced)", 1L);
        assertThat(r.report().seen()).isEqualTo(7);
        assertThat(r.matrix().rows()).isEqualTo(2);
        assertThat(r.matrix().label(r.matrix().rowIndex("ok"))).isEqualTo(1);
        assertThat(r.matrix().label(r.matrix().rowIndex("late"))).isZero();
    }

    @Test
    void enteredInErrorAndRefutedRecordsDoNotCount() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("status.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2018-01-01"),
                Fhir.quantity("b2", "p1", "39156-5", "99", "kg/m2", "2019-01-01")
                        .replace("\"final\"", "\"entered-in-error\""),
                Fhir.condition("c1", "p1", "http://snomed.info/sct", "59621000", "2019-01-01")
                        .replace("\"code\":{", "\"verificationStatus\":{\"coding\":[{\"code\":\"refuted\"}]},\"code\":{"),
                "{\"resourceType\":\"MedicationRequest\",\"id\":\"m1\",\"status\":\"active\",\"intent\":\"order\","
                        + "\"medicationReference\":{\"reference\":\"Medication/x\"},"
                        + "\"subject\":{\"reference\":\"Patient/p1\"},\"authoredOn\":\"2019-01-01\"}");

        CohortResult r = load(COHORT, in);

        FeatureMatrix m = r.matrix();
        assertThat(m.get(0, m.columnIndex("bmi"))).isEqualTo(26);
        assertThat(m.get(0, m.columnIndex("htn"))).isZero();
        assertThat(r.report().ingestion().skipped())
                .containsEntry("observation entered in error or cancelled", 1L)
                .containsEntry("condition refuted or entered in error", 1L)
                .containsEntry("medication given by reference (not resolved)", 1L);
    }

    @Test
    void warnsAboutCodesThatMatchNothing() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("few.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01"));

        CohortResult r = load(COHORT, in);

        assertThat(r.report().warnings()).anyMatch(w -> w.contains("LOINC 2093-3") && w.contains("'chol'"))
                .anyMatch(w -> w.contains("every label is 0"));
    }

    @Test
    void bulkExportSplitByTypeAcrossGzipFilesInAnyOrder() throws IOException {
        Path export = dir.resolve("export");
        Fhir.gzip(Fhir.write(export.resolve("README.txt"), "not FHIR").resolveSibling("Observation.ndjson.gz"),
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01") + "\n");
        Fhir.ndjson(export.resolve("Patient.ndjson"), Fhir.patient("p1", "1970-01-01", "male"));

        CohortResult r = load(COHORT, export);

        assertThat(r.matrix().rows()).isEqualTo(1);
        assertThat(r.matrix().get(0, r.matrix().columnIndex("bmi"))).isEqualTo(26);
        assertThat(r.report().ingestion().files()).isEqualTo(2);
        assertThat(r.report().ingestion().skipped()).containsEntry("file ignored (not .json or .ndjson)", 1L);
    }

    @Test
    void transactionBundleWithUrnUuidReferencesResolves() throws IOException {
        String patient = "{\"resourceType\":\"Patient\",\"birthDate\":\"1960-02-02\",\"gender\":\"male\"}";
        String bmi = Fhir.quantity("x", "urn:uuid:aaa", "39156-5", "28.25", "kg/m2", "2019-01-01")
                .replace("\"id\":\"x\",", "");
        Path in = Fhir.write(dir.resolve("bundle.json"), Fhir.transactionBundle(List.of("aaa", "bbb"),
                List.of(patient, bmi)));

        CohortResult r = load(COHORT, in);

        assertThat(r.matrix().rowId(0)).isEqualTo("aaa");
        assertThat(r.matrix().get(0, r.matrix().columnIndex("bmi"))).isEqualTo(28.25);
    }

    @Test
    void bundleOnAnNdjsonLineIsUnpacked() throws IOException {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                + Fhir.patient("p1", "1970-01-01", "male") + "},{\"resource\":"
                + Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01") + "}]}";
        CohortResult r = load(COHORT, Fhir.ndjson(dir.resolve("bundles.ndjson"), bundle));
        assertThat(r.matrix().rows()).isEqualTo(1);
    }

    @Test
    void studyWideMeansCanBeSuppliedFromOutside() throws IOException {
        String meanCohort = COHORT.replace("population: {minAge: 18, maxAge: 90}", "missing: mean");
        Path in = Fhir.ndjson(dir.resolve("p.ndjson"),
                Fhir.patient("a", "1970-01-01", "male"),
                Fhir.patient("b", "1970-01-01", "male"),
                Fhir.quantity("b1", "a", "39156-5", "20", "kg/m2", "2019-01-01"),
                Fhir.bloodPressure("bp", "b", 130, 85, "2019-01-01"));
        CohortExtraction extraction = new FhirCohortReader(cohort(meanCohort)).read(in);

        List<ObservedSum> sums = extraction.observedSums();
        assertThat(sums).contains(new ObservedSum("bmi", 20, 1));

        CohortResult local = extraction.build();
        assertThat(local.matrix().get(1, local.matrix().columnIndex("bmi"))).isEqualTo(20);

        Map<String, Double> studyWide = new java.util.HashMap<>();
        for (ObservedSum s : sums) {
            studyWide.put(s.feature(), 0.0);
        }
        studyWide.put("bmi", 27.5);
        CohortResult federated = extraction.build(ImputationMeans.of(studyWide));
        assertThat(federated.matrix().get(1, federated.matrix().columnIndex("bmi"))).isEqualTo(27.5);
        assertThat(federated.report().features().get(2).imputedWith()).isEqualTo(27.5);

        assertThatThrownBy(() -> extraction.build(ImputationMeans.of(Map.of())))
                .hasMessageContaining("no supplied mean for feature");
    }

    @Test
    void resourcesThatCannotMatterAreCountedAndCheckedButNotParsed() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("skip.ndjson"),
                Fhir.patient("p1", "1970-01-01", "male"),
                "{\"resourceType\":\"Claim\",\"id\":\"c1\",\"status\":\"active\"}",
                Fhir.quantity("hr", "p1", "8867-4", "70", "/min", "2019-01-01"),
                // The BMI code spelled with a JSON unicode escape must still be found.
                Fhir.quantity("b1", "p1", "39156-5", "26", "kg/m2", "2019-01-01").replace("39156-5", "\\u00339156-5"),
                "{\"resourceType\":\"Encounter\",\"id\":\"e1\",\"status\":\"fini");

        assertThatThrownBy(() -> load(COHORT, in)).isInstanceOf(DataInputException.class)
                .hasMessageContaining("skip.ndjson:5").hasMessageContaining("truncated or invalid JSON");

        CohortResult r = load(COHORT + "errors: {malformed: skip}\n", in);
        assertThat(r.report().ingestion().read()).containsEntry("Claim", 1L).containsEntry("Observation", 2L);
        assertThat(r.report().ingestion().skipped()).containsEntry("malformed resource", 1L);
        assertThat(r.matrix().get(0, r.matrix().columnIndex("bmi"))).isEqualTo(26);
    }

    @Test
    void leadingResourceTypeIsSniffedOnlyFromTheUsualLayout() {
        assertThat(JsonNesting.leadingResourceType(" { \"resourceType\" : \"Observation\", \"id\": 1}"))
                .isEqualTo("Observation");
        assertThat(JsonNesting.leadingResourceType("{\"id\":\"x\",\"resourceType\":\"Patient\"}")).isNull();
        assertThat(JsonNesting.leadingResourceType("{\"resourceType\":\"Pat")).isNull();
        assertThat(JsonNesting.scan("{\"a\":\"}\"}", 5)).isEqualTo(JsonNesting.Shape.BALANCED);
        assertThat(JsonNesting.scan("{\"a\":[1,2}", 5)).isEqualTo(JsonNesting.Shape.UNBALANCED);
        assertThat(JsonNesting.scan("[[[[[[]]]]]]", 5)).isEqualTo(JsonNesting.Shape.TOO_DEEP);
    }
}
