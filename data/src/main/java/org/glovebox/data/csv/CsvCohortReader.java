package org.glovebox.data.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.data.CohortExtraction;
import org.glovebox.data.DataInputException;
import org.glovebox.data.IngestionStats;
import org.glovebox.data.SourceLocation;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.ColumnFeature;
import org.glovebox.data.cohort.CsvLayout;
import org.glovebox.data.cohort.DataSource;
import org.glovebox.data.cohort.ErrorAction;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.data.cohort.LabelDefinition;
import org.glovebox.data.io.BoundedLineReader;
import org.glovebox.data.io.InputFiles;

/**
 * Reads a delimited text file into a {@link CohortExtraction} following a CSV {@link CohortDefinition}: named columns
 * (from the header line or the definition), any one-character delimiter, LF / CRLF / CR line endings, a missing final
 * newline, quoted fields, missing-value tokens for all columns and sentinels per column. Blank lines are ignored.
 *
 * <p>A line with the wrong number of fields, a cell that is not a number, or a label that is neither positive nor
 * negative is malformed: it stops the run with a {@link DataInputException} naming file, line and column, or is
 * skipped and counted when the definition's error policy says {@code malformed: skip}. Error messages never quote cell
 * contents.
 */
public final class CsvCohortReader {

    /** Longest accepted line; real records are a few hundred characters. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private final CohortDefinition definition;
    private final CsvLayout layout;
    private final CsvLineSplitter splitter;

    public CsvCohortReader(CohortDefinition definition) {
        if (definition.source() != DataSource.CSV) {
            throw new IllegalArgumentException("cohort " + definition.name() + " is not a CSV cohort");
        }
        this.definition = definition;
        this.layout = definition.csv();
        this.splitter = new CsvLineSplitter(layout.delimiterChar());
    }

    /** Reads the file. */
    public CohortExtraction read(Path file) {
        String name = file.toString();
        IngestionStats.Recorder stats = new IngestionStats.Recorder();
        stats.file();
        CohortExtraction.Builder rows = new CohortExtraction.Builder(definition);
        long[] observed = new long[definition.features().size()];
        try (BoundedLineReader in = new BoundedLineReader(InputFiles.openText(file), name, MAX_LINE_CHARS)) {
            List<String> columns = columnNames(in, name);
            ColumnPlan plan = plan(columns, name);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                SourceLocation where = SourceLocation.of(name, in.lineNumber());
                try {
                    readRecord(line, columns.size(), plan, where, rows, observed);
                    stats.read("csv record");
                } catch (MalformedRecord e) {
                    if (definition.errors().malformed() == ErrorAction.FAIL) {
                        throw new DataInputException(where, e.getMessage()
                                + " (set errors.malformed: skip to skip such lines)");
                    }
                    stats.skipped(e.reason, where);
                }
            }
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(name), "cannot read: " + e.getMessage(), e);
        }
        List<String> warnings = new ArrayList<>();
        for (int c = 0; c < observed.length; c++) {
            if (observed[c] == 0) {
                warnings.add("feature '" + definition.features().get(c).name() + "' has no value in any record");
            }
        }
        return rows.build(stats.finish(), warnings);
    }

    private List<String> columnNames(BoundedLineReader in, String name) {
        if (!layout.header()) {
            return layout.columns();
        }
        String header = in.readLine();
        if (header == null) {
            throw new DataInputException(SourceLocation.of(name), "empty file: expected a header line");
        }
        List<String> names;
        try {
            names = splitter.split(header);
        } catch (IllegalArgumentException e) {
            throw new DataInputException(SourceLocation.of(name, 1), "header line: " + e.getMessage());
        }
        if (layout.columns() == null) {
            return names;
        }
        if (layout.columns().size() != names.size()) {
            throw new DataInputException(SourceLocation.of(name, 1), "header has " + names.size()
                    + " columns but csv.columns names " + layout.columns().size()
                    + " (check csv.delimiter and csv.columns)");
        }
        return layout.columns();
    }

    private ColumnPlan plan(List<String> columns, String name) {
        List<FeatureDefinition> features = definition.features();
        int[] featureColumns = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            ColumnFeature f = (ColumnFeature) features.get(i);
            featureColumns[i] = indexOf(columns, f.column(), "feature '" + f.name() + "'", name);
        }
        LabelDefinition label = definition.label();
        int labelColumn = indexOf(columns, label.column(), "label '" + label.name() + "'", name);
        int idColumn = layout.idColumn() == null ? -1 : indexOf(columns, layout.idColumn(), "csv.idColumn", name);
        return new ColumnPlan(featureColumns, labelColumn, idColumn, columns);
    }

    private static int indexOf(List<String> columns, String wanted, String who, String file) {
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equals(wanted)) {
                if (found >= 0) {
                    throw new DataInputException(SourceLocation.of(file, 1), who + " names column '" + wanted
                            + "', which appears twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new DataInputException(SourceLocation.of(file, 1), who + " names column '" + wanted
                    + "', which does not exist; columns are " + columns);
        }
        return found;
    }

    private void readRecord(String line, int expectedFields, ColumnPlan plan, SourceLocation where,
            CohortExtraction.Builder rows, long[] observed) {
        List<String> fields;
        try {
            fields = splitter.split(line);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecord("badly quoted field", e.getMessage());
        }
        if (fields.size() != expectedFields) {
            throw new MalformedRecord("wrong number of fields", "has " + fields.size() + " fields, expected "
                    + expectedFields + " (check csv.delimiter)");
        }
        String labelCell = fields.get(plan.labelColumn);
        List<FeatureDefinition> features = definition.features();
        double[] row = new double[features.size()];
        for (int i = 0; i < row.length; i++) {
            ColumnFeature f = (ColumnFeature) features.get(i);
            row[i] = cellValue(f, fields.get(plan.featureColumns[i]), plan.columns.get(plan.featureColumns[i]));
        }
        if (layout.missingTokens().contains(labelCell)) {
            rows.exclude("missing label");
            return;
        }
        double label = definition.label().labelOfCell(labelCell);
        if (Double.isNaN(label)) {
            throw new MalformedRecord("label neither positive nor negative", "label column '"
                    + definition.label().column() + "' holds a value that is neither positive nor negative");
        }
        for (int i = 0; i < row.length; i++) {
            if (!Double.isNaN(row[i])) {
                observed[i]++;
            }
        }
        String id = plan.idColumn >= 0 ? fields.get(plan.idColumn) : "line " + where.line();
        rows.add(id, row, label);
    }

    private double cellValue(ColumnFeature f, String cell, String column) {
        if (layout.missingTokens().contains(cell) || f.missingValues().contains(cell)) {
            return Double.NaN;
        }
        Double mapped = f.values().get(cell);
        if (mapped != null) {
            return mapped;
        }
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new MalformedRecord("value is not a number", "column '" + column + "' (feature '" + f.name()
                    + "') is not a number; declare missing-value tokens in csv.missingTokens or text codes in values");
        }
        if (!Double.isFinite(v)) {
            throw new MalformedRecord("value is not a number", "column '" + column + "' (feature '" + f.name()
                    + "') is not a finite number");
        }
        if (!f.missingValues().isEmpty() && isNumericSentinel(f, v)) {
            return Double.NaN;
        }
        return v;
    }

    /** A sentinel {@code 0} also catches {@code 0.0}, as files written by different tools differ. */
    private static boolean isNumericSentinel(ColumnFeature f, double v) {
        for (String s : f.missingValues()) {
            try {
                if (Double.parseDouble(s) == v) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // A text sentinel was already compared as text.
            }
        }
        return false;
    }

    private record ColumnPlan(int[] featureColumns, int labelColumn, int idColumn, List<String> columns) {
    }

    /** A record that cannot be used; {@code reason} is the short category counted in the report. */
    private static final class MalformedRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        MalformedRecord(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
