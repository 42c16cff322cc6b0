package org.glovebox.ml.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Minimal CSV helpers for the small model files (bounded line length, quoted fields). */
public final class CsvLines {
    public static final int MAX_LINE = 1 << 16;

    private CsvLines() {
    }

    public static String field(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** One line, refusing lines longer than {@link #MAX_LINE}; null at the end. */
    public static String readLine(BufferedReader in, int lineNo) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        boolean any = false;
        while ((c = in.read()) != -1) {
            any = true;
            if (c == '\n') {
                break;
            }
            if (s.length() >= MAX_LINE) {
                throw new IOException("line " + lineNo + " is longer than " + MAX_LINE + " characters");
            }
            s.append((char) c);
        }
        if (!any) {
            return null;
        }
        int len = s.length();
        if (len > 0 && s.charAt(len - 1) == '\r') {
            s.setLength(len - 1);
        }
        return s.toString();
    }

    public static List<String> split(String line, int lineNo) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IOException("line " + lineNo + ": unterminated quote");
        }
        out.add(cur.toString());
        return out;
    }
}
