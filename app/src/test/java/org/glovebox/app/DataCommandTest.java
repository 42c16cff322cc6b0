package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.glovebox.data.SharedDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {

    @TempDir
    static Path out;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter text = new StringWriter();
        StringWriter errors = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(text));
        cli.setErr(new PrintWriter(errors));
        int code = cli.execute(args);
        return new Run(code, text.toString(), errors.toString());
    }

    @BeforeAll
    static void synthesizeTwoSmallHospitals() {
        Run r = run("data", "synth", "--hospitals", "2", "--patients", "120", "--out", out.toString(), "--seed", "7",
                "--format", "both");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("riverside-general", "northfield-rural", "ground-truth.json",
                "example:synthetic-diabetes-fhir");
    }

    @Test
    void synthWritesFhirAndCsvPerHospital() {
        assertThat(out.resolve("riverside-general/fhir/Patient.ndjson")).exists();
        assertThat(out.resolve("northfield-rural/northfield-rural.csv")).exists();
        assertThat(out.resolve("ground-truth.json")).exists();
        assertThat(GloveboxCli.run("data", "synth", "--out", out.resolve("csv-only").toString(), "--hospitals", "1",
                "--patients", "10", "--format", "csv")).isZero();
        assertThat(out.resolve("csv-only/riverside-general/fhir")).doesNotExist();
    }

    @Test
    void inspectPrintsKeptDroppedMissingAndDistribution() {
        Run r = run("data", "inspect", "--cohort", "example:synthetic-diabetes-fhir", "--in",
                out.resolve("riverside-general/fhir").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Cohort synthetic-diabetes-fhir", "Observation", "records/s", "seen", "kept",
                "missing policy", "hba1c", "median", "Label diabetes_5y");
    }

    @Test
    void inspectReadsTheCsvExtractWithTheCsvExample() {
        Run r = run("data", "inspect", "--cohort", "example:synthetic-diabetes-csv", "--in",
                out.resolve("northfield-rural/northfield-rural.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("csv record", "sex_female");
    }

    @Test
    void inspectLoadsASharedDataSetWhenPresent() {
        Optional<Path> pima = SharedDatasets.file("pima-indians-diabetes.csv");
        assumeTrue(pima.isPresent(), "shared/datasets not found: skipping");
        Run r = run("data", "inspect", "--cohort", "example:pima", "--in", pima.get().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("768 kept", "268 positive");
    }

    @Test
    void badInputIsAClearErrorWithExitCodeOne() throws Exception {
        Run missing = run("data", "inspect", "--cohort", "example:pima", "--in", out.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.csv").contains("file not found");

        Path cohort = Files.writeString(out.resolve("bad.yaml"), "name: x\nsource: fhir\nindexDate: 2020-01-01\n"
                + "features: [{name: bmi, type: observation, loinc: 39156-4, unit: kg/m2}]\n"
                + "label: {codes: [icd10:E11], within: P1Y}\n");
        Run bad = run("data", "inspect", "--cohort", cohort.toString(), "--in", out.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("bad.yaml:").contains("39156-5");

        assertThat(run("data", "synth", "--hospitals", "0", "--out", out.toString()).code()).isEqualTo(2);
    }
}
