package org.glovebox.data;

import java.util.List;

/**
 * Named numeric columns of equal length, NaN marking a missing value: the input of encrypted statistics. Holds
 * patient values, so it never prints them ({@link #toString()} shows the shape only).
 *
 * @param names column names, in file order
 * @param columns one array per column, all of the same length
 * @param skipped descriptions of the columns that were not numeric and were left out
 */
public record NumericTable(List<String> names, List<double[]> columns, List<String> skipped) {
    public NumericTable {
        names = List.copyOf(names);
        columns = List.copyOf(columns);
        skipped = List.copyOf(skipped);
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException("one name per column is needed");
        }
        for (double[] c : columns) {
            if (c.length != columns.get(0).length) {
                throw new IllegalArgumentException("columns differ in length");
            }
        }
    }

    /** Number of data rows. */
    public int rows() {
        return columns.isEmpty() ? 0 : columns.get(0).length;
    }

    @Override
    public String toString() {
        return "NumericTable[" + rows() + " rows x " + names.size() + " columns]";
    }
}
