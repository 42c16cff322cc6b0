package org.glovebox.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMatrixTest {

    private static final List<FeatureColumn> COLUMNS = List.of(new FeatureColumn("age", FeatureKind.CONTINUOUS, "a"),
            new FeatureColumn("smoker", FeatureKind.BINARY, null));

    private static FeatureMatrix matrix() {
        return new FeatureMatrix(COLUMNS, "outcome", new double[] {61.5, 1, 47.25, 0, 33.75, 1},
                new double[] {1, 0, 1}, List.of("patient-a", "patient-b", "patient-c"));
    }

    @Test
    void exposesValuesByRowAndColumnAsCopies() {
        FeatureMatrix m = matrix();
        assertThat(m.rows()).isEqualTo(3);
        assertThat(m.columnCount()).isEqualTo(2);
        assertThat(m.get(1, 0)).isEqualTo(47.25);
        assertThat(m.row(2)).containsExactly(33.75, 1);
        assertThat(m.column(1)).containsExactly(1, 0, 1);
        assertThat(m.positives()).isEqualTo(2);
        assertThat(m.labelsAsInts()).containsExactly(1, 0, 1);
        m.row(0)[0] = 999;
        m.toRowMajor()[0] = 999;
        m.labels()[0] = 0;
        assertThat(m.get(0, 0)).isEqualTo(61.5);
        assertThat(m.label(0)).isEqualTo(1);
        assertThat(m.columns().get(1).unit()).isEmpty();
    }

    @Test
    void toStringShowsShapeButNoValuesOrIds() {
        String text = matrix().toString();
        assertThat(text).isEqualTo("FeatureMatrix[3 rows x 2 columns: age, smoker; label outcome]");
        assertThat(text).doesNotContain("61.5", "47.25", "patient-a");
    }

    @Test
    void selectRowsKeepsIdsAndLabelsAligned() {
        FeatureMatrix m = matrix().selectRows(new int[] {2, 0});
        assertThat(m.rowId(0)).isEqualTo("patient-c");
        assertThat(m.row(1)).containsExactly(61.5, 1);
        assertThat(m.labels()).containsExactly(1, 1);
        assertThat(m.rowIndex("patient-a")).isEqualTo(1);
    }

    @Test
    void rejectsMissingValuesBadLabelsAndShapeMismatches() {
        assertThatThrownBy(() -> new FeatureMatrix(COLUMNS, "y", new double[] {Double.NaN, 1}, new double[] {1},
                List.of("a"))).hasMessageContaining("non-finite value in row 0, column age");
        assertThatThrownBy(() -> new FeatureMatrix(COLUMNS, "y", new double[] {1, 1}, new double[] {2}, List.of("a")))
                .hasMessageContaining("neither 0 nor 1");
        assertThatThrownBy(() -> new FeatureMatrix(COLUMNS, "y", new double[] {1}, new double[] {1}, List.of("a")))
                .hasMessageContaining("expected 1 x 2");
        assertThatThrownBy(() -> new FeatureMatrix(List.of(COLUMNS.get(0), COLUMNS.get(0)), "y", new double[] {1, 1},
                new double[] {1}, List.of("a"))).hasMessageContaining("duplicate column");
    }

    @Test
    void summariesAreAggregates() {
        FeatureSummary age = FeatureSummary.of(matrix()).get(0);
        assertThat(age.count()).isEqualTo(3);
        assertThat(age.min()).isEqualTo(33.75);
        assertThat(age.median()).isEqualTo(47.25);
        assertThat(age.max()).isEqualTo(61.5);
        assertThat(age.mean()).isEqualTo((61.5 + 47.25 + 33.75) / 3);
    }
}
