package org.glovebox.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.data.CohortResult;
import org.glovebox.data.Cohorts;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.NumericTable;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.csv.NumericCsvReader;

/**
 * Reads the plaintext input of {@code glovebox encrypt --label} (training sets) and {@code --records} (records to
 * score): either through a cohort definition (data module: feature extraction, coded labels, imputation) or as the
 * numeric columns of a CSV file, with {@code --columns} naming the columns of a header-less file.
 */
final class MlInputs {
    private MlInputs() {
    }

    /** Features (one row per record), labels (null for records to score) and what was left out. */
    record Dataset(List<String> names, double[][] x, int[] labels, String labelName, int dropped) {
    }

    /** Through a cohort definition ({@code example:NAME} or a YAML/JSON file). */
    static Dataset fromCohort(String cohort, Path csv, String label) {
        CohortResult result = Cohorts.load(CohortDefinitions.resolve(cohort), csv);
        FeatureMatrix m = result.matrix();
        if (label != null && !label.equals(m.labelName())) {
            throw new IllegalArgumentException("the cohort's label is '" + m.labelName() + "', not '" + label + "'");
        }
        List<String> names = m.columns().stream().map(c -> c.name()).toList();
        return new Dataset(names, m.toRows(), m.labelsAsInts(), m.labelName(), (int) result.report().droppedTotal());
    }

    /**
     * The numeric columns of a CSV file. With a label: it must be a numeric 0/1 column; rows with a missing feature
     * or label are left out (counted). Without (records to score): every row must be complete.
     */
    static Dataset fromCsv(Path csv, char delimiter, List<String> columns, List<String> features, String label,
            long maxRows) {
        NumericTable t = new NumericCsvReader(delimiter, maxRows, columns).read(csv);
        int labelIndex = -1;
        if (label != null) {
            labelIndex = t.names().indexOf(label);
            if (labelIndex < 0) {
                throw new IllegalArgumentException("label column '" + label + "' not found among the numeric columns "
                        + t.names() + (t.skipped().isEmpty() ? "" : " (skipped as non-numeric: " + t.skipped() + ")")
                        + "; use --cohort for coded labels");
            }
        }
        List<Integer> keep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (features != null) {
            for (String f : features) {
                int i = t.names().indexOf(f);
                if (i < 0) {
                    throw new IllegalArgumentException("feature column '" + f + "' not found among the numeric columns "
                            + t.names());
                }
                if (i == labelIndex) {
                    throw new IllegalArgumentException("the label cannot also be a feature");
                }
                keep.add(i);
                names.add(f);
            }
        } else {
            for (int i = 0; i < t.names().size(); i++) {
                if (i != labelIndex) {
                    keep.add(i);
                    names.add(t.names().get(i));
                }
            }
        }
        if (keep.isEmpty()) {
            throw new IllegalArgumentException("no feature column");
        }
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int dropped = 0;
        for (int r = 0; r < t.rows(); r++) {
            double[] x = new double[keep.size()];
            boolean complete = true;
            for (int j = 0; j < x.length; j++) {
                x[j] = t.columns().get(keep.get(j))[r];
                complete &= !Double.isNaN(x[j]);
            }
            double y = labelIndex >= 0 ? t.columns().get(labelIndex)[r] : 0;
            if (labelIndex >= 0 && !Double.isNaN(y) && y != 0 && y != 1) {
                throw new IllegalArgumentException("data row " + (r + 1) + ": label " + y + " is not 0 or 1"
                        + "; use --cohort to map label codes");
            }
            if (!complete || Double.isNaN(y)) {
                if (labelIndex < 0) {
                    throw new IllegalArgumentException("data row " + (r + 1) + " has a missing value; scoring needs"
                            + " complete records (impute first, or use --cohort with a missing-value policy)");
                }
                dropped++;
                continue;
            }
            rows.add(x);
            labels.add((int) y);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no complete row");
        }
        return new Dataset(names, rows.toArray(new double[0][]),
                labelIndex >= 0 ? labels.stream().mapToInt(Integer::intValue).toArray() : null, label, dropped);
    }

    static List<String> split(String list) {
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : list.split(",", -1)) {
            String v = s.strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException("empty name in '" + list + "'");
            }
            out.add(v);
        }
        return out;
    }
}
