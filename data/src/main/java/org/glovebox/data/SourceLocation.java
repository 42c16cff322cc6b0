package org.glovebox.data;

import java.util.Objects;

/**
 * Where a piece of external input came from: a file, optionally a 1-based line number and optionally a resource
 * reference such as {@code Observation/42} or a bundle entry. Rendered as {@code file:line (resource)} so that an
 * operator can open the file at the right place. Carries no patient values.
 *
 * @param file     the file name or path as given by the caller (never null)
 * @param line     1-based line number, or 0 when unknown
 * @param resource a resource reference or entry description, or null
 */
public record SourceLocation(String file, long line, String resource) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0");
        }
    }

    /** A location naming only a file. */
    public static SourceLocation of(String file) {
        return new SourceLocation(file, 0, null);
    }

    /** A location naming a file and a line. */
    public static SourceLocation of(String file, long line) {
        return new SourceLocation(file, line, null);
    }

    /** The same place, now also naming the resource found there. */
    public SourceLocation withResource(String resourceReference) {
        return new SourceLocation(file, line, resourceReference);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) {
            s.append(':').append(line);
        }
        if (resource != null) {
            s.append(" (").append(resource).append(')');
        }
        return s.toString();
    }
}
