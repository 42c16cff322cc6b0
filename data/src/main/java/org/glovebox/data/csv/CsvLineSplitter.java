package org.glovebox.data.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of delimited text into fields. Fields may be quoted with {@code "} (RFC 4180), in which case they can
 * contain the delimiter and {@code ""} stands for one quote; quoted fields cannot span lines. Fields are stripped of
 * surrounding whitespace.
 */
final class CsvLineSplitter {

    private final char delimiter;

    CsvLineSplitter(char delimiter) {
        this.delimiter = delimiter;
    }

    /**
     * The fields of a line.
     *
     * @throws IllegalArgumentException when a quoted field is not closed or is followed by other text
     */
    List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            int start = i;
            while (start < n && line.charAt(start) == ' ' && delimiter != ' ') {
                start++;
            }
            if (start < n && line.charAt(start) == '"') {
                StringBuilder field = new StringBuilder();
                int j = start + 1;
                while (true) {
                    if (j >= n) {
                        throw new IllegalArgumentException("quoted field " + (fields.size() + 1) + " is not closed");
                    }
                    char c = line.charAt(j);
                    if (c == '"') {
                        if (j + 1 < n && line.charAt(j + 1) == '"') {
                            field.append('"');
                            j += 2;
                            continue;
                        }
                        j++;
                        break;
                    }
                    field.append(c);
                    j++;
                }
                while (j < n && line.charAt(j) == ' ' && delimiter != ' ') {
                    j++;
                }
                if (j < n && line.charAt(j) != delimiter) {
                    throw new IllegalArgumentException("text after the closing quote of field " + (fields.size() + 1));
                }
                fields.add(field.toString());
                if (j >= n) {
                    return fields;
                }
                i = j + 1;
            } else {
                int end = line.indexOf(delimiter, i);
                if (end < 0) {
                    fields.add(line.substring(i).strip());
                    return fields;
                }
                fields.add(line.substring(i, end).strip());
                i = end + 1;
            }
        }
    }
}
