package org.glovebox.data.cohort;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a delimited text file is laid out.
 *
 * @param delimiter     one character, or {@code tab}, {@code comma}, {@code semicolon}, {@code pipe} (default comma)
 * @param header        whether the first line holds column names (required)
 * @param columns       column names; required without a header, and when given with a header they replace the
 *                      header's names (which must then be as many)
 * @param missingTokens cell contents meaning "missing" in every column (default: the empty cell)
 * @param idColumn      column holding a record id (default: the line number)
 */
public record CsvLayout(String delimiter, Boolean header, List<String> columns, List<String> missingTokens,
        String idColumn) {

    public CsvLayout {
        delimiter = String.valueOf(delimiterChar(delimiter == null ? "," : delimiter));
        if (header == null) {
            throw new IllegalArgumentException("csv.header must say whether the first line holds column names"
                    + " (true or false)");
        }
        if (!header && (columns == null || columns.isEmpty())) {
            throw new IllegalArgumentException("csv.columns must name the columns of a file without a header line");
        }
        if (columns != null) {
            columns = columns.stream().map(String::strip).toList();
            Set<String> seen = new HashSet<>();
            for (String c : columns) {
                if (c.isEmpty() || !seen.add(c)) {
                    throw new IllegalArgumentException("csv.columns has an empty or repeated name '" + c + "'");
                }
            }
        }
        missingTokens = missingTokens == null ? List.of("") : missingTokens.stream().map(String::strip).toList();
        idColumn = idColumn == null ? null : idColumn.strip();
    }

    /** The delimiter character. */
    public char delimiterChar() {
        return delimiter.charAt(0);
    }

    private static char delimiterChar(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "tab", "\\t", "\t" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> {
                if (spec.length() != 1 || spec.equals("\"") || spec.equals("\n") || spec.equals("\r")) {
                    throw new IllegalArgumentException("csv.delimiter must be one character or tab, comma, semicolon,"
                            + " pipe; not '" + spec + "'");
                }
                yield spec.charAt(0);
            }
        };
    }
}
