package org.glovebox.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glovebox.data.CohortResult;
import org.glovebox.data.DataInputException;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.ImputationMeans;
import org.glovebox.data.cohort.CohortDefinitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvCohortReaderTest {

    private static final String COHORT = """
            name: csv-test
            source: csv
            csv: {delimiter: ";", header: true, missingTokens: ["", "?", "NA"], idColumn: id}
            features:
              - {name: age, unit: a}
              - {name: glucose, unit: mg/dL, missingValues: ["0"], missing: mean}
              - {name: sex_female, column: sex, kind: binary, values: {F: 1, M: 0}}
            label: {name: sick, column: outcome, positive: ["yes"], negative: ["no"]}
            """;

    @TempDir
    Path dir;

    private CohortResult read(String cohort, String fileName, String content) throws IOException {
        Path file = Files.writeString(dir.resolve(fileName), content);
        return new CsvCohortReader(CohortDefinitions.parse(cohort, "cohort.yaml")).read(file).build();
    }

    @Test
    void readsNamedColumnsWithQuotesTokensSentinelsAndCodes() throws IOException {
        CohortResult r = read(COHORT, "a.csv", "id;age;\"glu;cose\";sex;outcome\r\n"
                .replace("\"glu;cose\"", "glucose")
                + "A1;50;100;F;yes\r\n"
                + "\"A;2\"; 60 ;0;M;no\r\n"
                + "A3;70;?;\"F\";no\r\n"
                + "\r\n"
                + "A4;40;130;M;NA");

        FeatureMatrix m = r.matrix();
        assertThat(m.rows()).isEqualTo(3);
        assertThat(m.rowId(1)).isEqualTo("A;2");
        assertThat(m.row(0)).containsExactly(50, 100, 1);
        assertThat(m.row(1)).containsExactly(60, 100, 0);   // sentinel 0 imputed with the mean of 100
        assertThat(m.row(2)).containsExactly(70, 100, 1);
        assertThat(m.labels()).containsExactly(1, 0, 0);
        assertThat(r.report().dropped()).containsEntry("missing label", 1L);
        assertThat(r.report().features().get(1).missing()).isEqualTo(2);
        assertThat(r.report().seen()).isEqualTo(4);
    }

    @Test
    void headerlessFileWithExplicitColumnsAndThresholdLabel() throws IOException {
        String cohort = """
                name: t
                source: csv
                csv: {delimiter: tab, header: false, columns: [x, y]}
                features: [{name: x}]
                label: {column: y, positiveAbove: 0}
                """;
        CohortResult r = read(cohort, "b.txt", "1\t0\n2\t3\n3\t1.5");
        assertThat(r.matrix().labels()).containsExactly(0, 1, 1);
        assertThat(r.matrix().rowId(0)).isEqualTo("line 1");
    }

    @Test
    void malformedLinesNameFileLineAndColumnButNotTheValue() throws IOException {
        String file = "id;age;glucose;sex;outcome\nA1;50;100;F;yes\nA2;Zebedee;100;F;yes\nA3;50;100;F\nA4;1;2;M;maybe\n";
        assertThatThrownBy(() -> read(COHORT, "bad.csv", file))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("bad.csv:3")
                .hasMessageContaining("column 'age'")
                .hasMessageNotContaining("Zebedee");

        CohortResult r = read(COHORT + "errors: {malformed: skip}\n", "bad.csv", file);
        assertThat(r.matrix().rows()).isEqualTo(1);
        assertThat(r.report().ingestion().skipped()).containsEntry("value is not a number", 1L)
                .containsEntry("wrong number of fields", 1L)
                .containsEntry("label neither positive nor negative", 1L);
    }

    @Test
    void unknownColumnsAndWrongHeaderAreReportedWithTheColumnsThatExist() throws IOException {
        assertThatThrownBy(() -> read(COHORT, "c.csv", "id;age;sex;outcome\n"))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("c.csv:1")
                .hasMessageContaining("feature 'glucose' names column 'glucose', which does not exist")
                .hasMessageContaining("[id, age, sex, outcome]");
        assertThatThrownBy(() -> read(COHORT, "d.csv", "")).hasMessageContaining("empty file");
        String renamed = COHORT.replace("idColumn: id}", "idColumn: id, columns: [id, age, glucose, sex, outcome]}");
        assertThatThrownBy(() -> read(renamed, "e.csv", "id,age,glucose,sex,outcome\n"))
                .hasMessageContaining("header has 1 columns but csv.columns names 5");
    }

    @Test
    void dropPolicyCountsEachDroppedRecordOnceAndSuppliedMeansAreUsed() throws IOException {
        String drop = COHORT.replace("missing: mean}", "missing: drop}");
        CohortResult r = read(drop, "f.csv", "id;age;glucose;sex;outcome\n1;?;?;F;yes\n2;50;?;M;no\n3;50;90;M;no\n");
        assertThat(r.matrix().rows()).isEqualTo(1);
        assertThat(r.report().dropped()).containsEntry("missing age", 1L).containsEntry("missing glucose", 1L);

        Path file = Files.writeString(dir.resolve("g.csv"), "id;age;glucose;sex;outcome\n1;50;?;F;yes\n2;50;80;M;no\n");
        var extraction = new CsvCohortReader(CohortDefinitions.parse(COHORT, "c.yaml")).read(file);
        assertThat(extraction.build().matrix().get(0, 1)).isEqualTo(80);
        assertThat(extraction.build(ImputationMeans.of(java.util.Map.of("glucose", 111.0))).matrix().get(0, 1))
                .isEqualTo(111);
        assertThat(extraction.observedSums()).singleElement()
                .satisfies(s -> assertThat(s.count()).isEqualTo(1));
    }
}
