package org.glovebox.data.csv;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.glovebox.data.DataInputException;
import org.glovebox.data.NumericTable;
import org.glovebox.data.SourceLocation;
import org.glovebox.data.io.BoundedLineReader;

/**
 * Reads the numeric columns of a delimited text file with a header row, for encrypted statistics: every column whose
 * non-missing values all parse as finite numbers is kept, with missing values (empty, {@code ?}, {@code NA},
 * {@code NaN}, {@code null}) as NaN; other columns are listed as skipped. A row with the wrong number of fields or a
 * value that is neither a number nor a missing token in an otherwise numeric column fails with its line number.
 */
public final class NumericCsvReader {
    private static final Set<String> MISSING = Set.of("", "?", "na", "n/a", "nan", "null");

    private final char delimiter;
    private final long maxRows;
    private final List<String> columnNames;

    /**
     * A reader for files whose first row names the columns.
     *
     * @param maxRows refuse files with more data rows than this (bounds memory)
     */
    public NumericCsvReader(char delimiter, long maxRows) {
        this(delimiter, maxRows, null);
    }

    /**
     * A reader for header-less files (every row is data), with the column names given here; null means the first
     * row is a header.
     */
    public NumericCsvReader(char delimiter, long maxRows, List<String> columnNames) {
        this.delimiter = delimiter;
        this.maxRows = maxRows;
        this.columnNames = columnNames == null ? null : List.copyOf(columnNames);
    }

    public NumericTable read(Path file) {
        String name = file.getFileName().toString();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BoundedLineReader lines = new BoundedLineReader(
                new InputStreamReader(Files.newInputStream(file), decoder), name, CsvCohortReader.MAX_LINE_CHARS)) {
            CsvLineSplitter splitter = new CsvLineSplitter(delimiter);
            List<String> names;
            long line = 0;
            if (columnNames == null) {
                String header = lines.readLine();
                line = 1;
                if (header == null) {
                    throw new DataInputException(SourceLocation.of(name), "the file is empty (a header row is needed)");
                }
                names = splitter.split(stripBom(header));
                if (names.isEmpty() || names.stream().allMatch(String::isEmpty)) {
                    throw new DataInputException(SourceLocation.of(name, 1), "the header row has no column names");
                }
            } else {
                names = columnNames;
            }
            int cols = names.size();
            boolean[] numeric = new boolean[cols];
            Arrays.fill(numeric, true);
            long[] firstBad = new long[cols];
            double[] row = new double[cols];
            List<double[]> rows = new ArrayList<>();
            String text;
            while ((text = lines.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                List<String> fields;
                try {
                    fields = splitter.split(line == 1 ? stripBom(text) : text);
                } catch (IllegalArgumentException e) {
                    throw new DataInputException(SourceLocation.of(name, line), e.getMessage());
                }
                if (fields.size() != cols) {
                    throw new DataInputException(SourceLocation.of(name, line),
                            "expected " + cols + " fields as in the header, found " + fields.size());
                }
                if (rows.size() >= maxRows) {
                    throw new DataInputException(SourceLocation.of(name, line),
                            "more than " + maxRows + " data rows");
                }
                for (int c = 0; c < cols; c++) {
                    row[c] = parse(fields.get(c));
                    if (Double.isInfinite(row[c]) && numeric[c]) {
                        numeric[c] = false;
                        firstBad[c] = line;
                    }
                }
                rows.add(row.clone());
            }
            List<String> kept = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            List<double[]> columns = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                String col = names.get(c).isEmpty() ? "column" + (c + 1) : names.get(c);
                if (!numeric[c]) {
                    skipped.add(col + " (not numeric, line " + firstBad[c] + ")");
                    continue;
                }
                double[] v = new double[rows.size()];
                for (int r = 0; r < v.length; r++) {
                    v[r] = rows.get(r)[c];
                }
                kept.add(col);
                columns.add(v);
            }
            return new NumericTable(kept, columns, skipped);
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(name), "cannot read: " + e.getMessage(), e);
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** NaN for a missing token, +Infinity as the marker of a non-numeric value. */
    private static double parse(String field) {
        String f = field.strip();
        if (MISSING.contains(f.toLowerCase(Locale.ROOT))) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(f);
            return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }
}
