package org.glovebox.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The plaintext result of ingestion: one row per patient (or CSV record), one column per feature, and a binary label
 * per row. It is what the ML and federated modules consume before encrypting or training locally.
 *
 * <p>Guarantees: immutable; every value is finite (missing values were dropped or imputed before construction); labels
 * are 0 or 1; column names are unique. Row ids (patient ids, CSV line numbers) stay on the hospital's machine: they are
 * available through {@link #rowId(int)} for local auditing only. {@link #toString()} shows the shape and column names,
 * never a value, so a matrix can appear in logs without leaking data.
 */
public final class FeatureMatrix {

    private final List<FeatureColumn> columns;
    private final String labelName;
    private final int rows;
    private final double[] values;
    private final double[] labels;
    private final List<String> rowIds;

    /**
     * @param columns   column metadata, in column order
     * @param labelName name of the label (outcome)
     * @param values    row-major values, {@code rows * columns.size()} finite numbers (copied)
     * @param labels    one 0/1 label per row (copied)
     * @param rowIds    one local identifier per row (copied)
     */
    public FeatureMatrix(List<FeatureColumn> columns, String labelName, double[] values, double[] labels,
            List<String> rowIds) {
        this.columns = List.copyOf(columns);
        this.labelName = Objects.requireNonNull(labelName, "labelName");
        this.rows = labels.length;
        if (rowIds.size() != rows) {
            throw new IllegalArgumentException("rowIds has " + rowIds.size() + " entries for " + rows + " rows");
        }
        if ((long) rows * this.columns.size() != values.length) {
            throw new IllegalArgumentException("values has " + values.length + " entries, expected " + rows + " x "
                    + this.columns.size());
        }
        Set<String> names = new HashSet<>();
        for (FeatureColumn c : this.columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate column name " + c.name());
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("non-finite value in row " + (i / Math.max(1, this.columns.size()))
                        + ", column " + this.columns.get(i % this.columns.size()).name());
            }
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] != 0.0 && labels[i] != 1.0) {
                throw new IllegalArgumentException("label of row " + i + " is neither 0 nor 1");
            }
        }
        this.values = values.clone();
        this.labels = labels.clone();
        this.rowIds = List.copyOf(rowIds);
    }

    /** Number of rows (patients or records). */
    public int rows() {
        return rows;
    }

    /** Number of feature columns. */
    public int columnCount() {
        return columns.size();
    }

    /** Column metadata in column order. */
    public List<FeatureColumn> columns() {
        return columns;
    }

    /** Index of the named column. */
    public int columnIndex(String name) {
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no column named " + name);
    }

    /** Name of the label. */
    public String labelName() {
        return labelName;
    }

    /** The value at a row and column. */
    public double get(int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns.size());
        return values[row * columns.size() + column];
    }

    /** A copy of one row. */
    public double[] row(int row) {
        Objects.checkIndex(row, rows);
        int width = columns.size();
        return Arrays.copyOfRange(values, row * width, (row + 1) * width);
    }

    /** A copy of one column. */
    public double[] column(int column) {
        Objects.checkIndex(column, columns.size());
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = values[r * columns.size() + column];
        }
        return out;
    }

    /** A copy of all values, row-major. */
    public double[] toRowMajor() {
        return values.clone();
    }

    /** A copy of all values as one array per row. */
    public double[][] toRows() {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = row(r);
        }
        return out;
    }

    /** The label of one row, 0 or 1. */
    public double label(int row) {
        return labels[Objects.checkIndex(row, rows)];
    }

    /** A copy of all labels (0.0 or 1.0). */
    public double[] labels() {
        return labels.clone();
    }

    /** A copy of all labels as integers (0 or 1). */
    public int[] labelsAsInts() {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = (int) labels[r];
        }
        return out;
    }

    /** How many rows have label 1. */
    public int positives() {
        int n = 0;
        for (double l : labels) {
            n += (int) l;
        }
        return n;
    }

    /** The local identifier of a row (patient id or CSV line); for auditing on the hospital's machine only. */
    public String rowId(int row) {
        return rowIds.get(Objects.checkIndex(row, rows));
    }

    /** The row with the given local identifier, or -1 when there is none. */
    public int rowIndex(String rowId) {
        return rowIds.indexOf(rowId);
    }

    /** A new matrix with the given rows, in the given order (for train/test splits and cross-validation). */
    public FeatureMatrix selectRows(int[] rowIndices) {
        int width = columns.size();
        double[] v = new double[rowIndices.length * width];
        double[] l = new double[rowIndices.length];
        List<String> ids = new ArrayList<>(rowIndices.length);
        for (int i = 0; i < rowIndices.length; i++) {
            int r = Objects.checkIndex(rowIndices[i], rows);
            System.arraycopy(values, r * width, v, i * width, width);
            l[i] = labels[r];
            ids.add(rowIds.get(r));
        }
        return new FeatureMatrix(columns, labelName, v, l, ids);
    }

    /** Shape and column names only; never values or row ids. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FeatureMatrix[").append(rows).append(" rows x ").append(columns.size())
                .append(" columns: ");
        for (int c = 0; c < columns.size(); c++) {
            s.append(c == 0 ? "" : ", ").append(columns.get(c).name());
        }
        return s.append("; label ").append(labelName).append(']').toString();
    }
}
