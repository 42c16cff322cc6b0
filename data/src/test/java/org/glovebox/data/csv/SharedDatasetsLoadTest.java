package org.glovebox.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.glovebox.data.CohortResult;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.SharedDatasets;
import org.glovebox.data.cohort.CohortDefinitions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every public data set in shared/datasets loads with its shipped example definition and gives exactly the record and
 * label counts documented in shared/datasets/README.md. Skips when the folder is not present.
 */
class SharedDatasetsLoadTest {

    @ParameterizedTest(name = "{0} with example {1}: {2} rows, {3} positive, {4} features")
    @CsvSource({
        "edin.txt, edin, 1253, 274, 9",
        "lbw.txt, lbw, 189, 130, 9",
        "pima-indians-diabetes.csv, pima, 768, 268, 8",
        "wdbc.data, wdbc, 569, 212, 30",
        "processed.cleveland.data, cleveland, 303, 139, 13"
    })
    void loadsWithDocumentedCounts(String file, String example, int rows, int positives, int features) {
        Optional<Path> data = SharedDatasets.file(file);
        assumeTrue(data.isPresent(), () -> "shared/datasets/" + file + " not found (set -D" + SharedDatasets.PROPERTY
                + "=<folder>): skipping");

        CohortResult result = new CsvCohortReader(CohortDefinitions.example(example)).read(data.get()).build();

        FeatureMatrix m = result.matrix();
        assertThat(m.rows()).isEqualTo(rows);
        assertThat(m.positives()).isEqualTo(positives);
        assertThat(m.columnCount()).isEqualTo(features);
        assertThat(result.report().kept()).isEqualTo(rows);
        assertThat(result.report().droppedTotal()).isZero();
        assertThat(result.report().ingestion().totalSkipped()).isZero();
        assertThat(result.report().warnings()).isEmpty();
    }
}
