package org.glovebox.data.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glovebox.data.DataInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CohortDefinitionsTest {

    static final java.util.List<String> EXAMPLES = CohortDefinitions.EXAMPLES;

    private static final String VALID = """
            name: t
            source: fhir
            indexDate: 2020-01-01
            features:
              - {name: age, type: age}
              - name: bmi
                type: observation
                loinc: 39156-5
                unit: kg/m2
            label: {codes: [icd10:E11], within: P5Y}
            """;

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void everyShippedExampleLoads(String name) {
        CohortDefinition d = CohortDefinitions.example(name);
        assertThat(d.features()).isNotEmpty();
    }

    @Test
    void validDefinitionHasDefaults() {
        CohortDefinition d = CohortDefinitions.parse(VALID, "t.yaml");
        assertThat(d.missing()).isInstanceOf(MissingValuePolicy.Drop.class);
        assertThat(d.errors()).isEqualTo(ErrorPolicy.DEFAULT);
        assertThat(d.population().aliveAtIndex()).isTrue();
        assertThat(d.population().excludePriorLabel()).isTrue();
        assertThat(((ObservationFeature) d.feature("bmi")).aggregate()).isEqualTo(Aggregation.LATEST);
        assertThat(d.label().name()).isEqualTo("label");
    }

    @Test
    void jsonFilesAreReadToo(@TempDir Path dir) throws IOException {
        Path json = Files.writeString(dir.resolve("c.json"), """
                {"name": "j", "source": "csv", "csv": {"header": true},
                 "features": [{"name": "x"}], "label": {"column": "y", "positiveAbove": 0}}
                """);
        assertThat(CohortDefinitions.load(json).source()).isEqualTo(DataSource.CSV);
    }

    @Test
    void typoInALoincCodeNamesLineAndPath() {
        String typo = VALID.replace("39156-5", "39156-4");
        assertThatThrownBy(() -> CohortDefinitions.parse(typo, "study.yaml"))
                .isInstanceOf(DataInputException.class)
                .hasMessageStartingWith("study.yaml:")
                .hasMessageContaining("features[1]")
                .hasMessageContaining("expected 39156-5");
    }

    @Test
    void unknownKeyIsReportedWithItsLine() {
        String typo = VALID.replace("unit: kg/m2", "unit: kg/m2\n    lookbak: P2Y");
        assertThatThrownBy(() -> CohortDefinitions.parse(typo, "study.yaml"))
                .isInstanceOf(DataInputException.class)
                .hasMessageMatching("study\\.yaml:1[01] \\(features\\[1\\]\\.lookbak\\): .*")
                .hasMessageContaining("lookbak");
    }

    @Test
    void inconsistentDefinitionsAreRejected() {
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("indexDate: 2020-01-01\n", ""), "a.yaml"))
                .hasMessageContaining("needs an indexDate");
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("{name: age, type: age}", "{name: age}"),
                "b.yaml")).hasMessageContaining("has no FHIR type");
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("name: bmi", "name: age"), "c.yaml"))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("unit: kg/m2", ""), "d.yaml"))
                .hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("within: P5Y", "within: P0D"), "e.yaml"))
                .hasMessageContaining("positive 'within'");
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID.replace("source: fhir", "source: hl7v2"), "f.yaml"))
                .hasMessageContaining("hl7v2");
        assertThatThrownBy(() -> CohortDefinitions.parse("name: x\n", "g.yaml"))
                .hasMessageContaining("source");
    }

    @Test
    void missingValuePoliciesInAllThreeForms() {
        String yaml = VALID.replace("{name: age, type: age}", "{name: age, type: age, missing: {constant: 50}}")
                + "missing: mean\n";
        CohortDefinition d = CohortDefinitions.parse(yaml, "m.yaml");
        assertThat(d.policyFor(d.feature("age"))).isEqualTo(MissingValuePolicy.constant(50));
        assertThat(d.policyFor(d.feature("bmi"))).isEqualTo(MissingValuePolicy.mean());
        assertThatThrownBy(() -> CohortDefinitions.parse(VALID + "missing: median\n", "n.yaml"))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("unknown missing-value policy 'median'");
    }

    @Test
    void hostileYamlIsRejectedClearly() {
        String bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e]\n";
        assertThatThrownBy(() -> CohortDefinitions.parse(bomb, "bomb.yaml")).isInstanceOf(DataInputException.class);
        assertThatThrownBy(() -> CohortDefinitions.parse("[".repeat(10_000), "deep.yaml"))
                .isInstanceOf(DataInputException.class);
    }

    @Test
    void resolveAcceptsExampleNamesAndPaths(@TempDir Path dir) throws IOException {
        assertThat(CohortDefinitions.resolve("example:pima").name()).isEqualTo("pima-diabetes");
        Path file = Files.writeString(dir.resolve("t.yaml"), VALID);
        assertThat(CohortDefinitions.resolve(file.toString()).name()).isEqualTo("t");
        assertThatThrownBy(() -> CohortDefinitions.resolve("example:nope")).hasMessageContaining("no example cohort");
        assertThatThrownBy(() -> CohortDefinitions.load(dir.resolve("absent.yaml")))
                .hasMessageContaining("cohort file not found");
    }
}
