package org.glovebox.data.fhir;

/**
 * A linear-time scan of JSON text for its nesting depth and bracket balance, run before the text reaches a recursive
 * parser so that hostile input (thousands of nested brackets) fails fast with a clear message, and so that a resource
 * that is not parsed at all (see {@link ResourceFilter}) is still checked for truncation. Real FHIR resources nest a
 * few dozen levels at most.
 */
final class JsonNesting {

    /** The outcome of a scan. */
    enum Shape {
        /** Brackets balance, strings are closed, nesting within the limit. */
        BALANCED,
        /** Nesting exceeds the limit. */
        TOO_DEEP,
        /** Unclosed brackets or string, or more closing than opening brackets: truncated or not JSON. */
        UNBALANCED
    }

    private JsonNesting() {
    }

    /** Scans the text; brackets inside strings do not count. */
    static Shape scan(CharSequence json, int maxDepth) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > maxDepth) {
                    return Shape.TOO_DEEP;
                }
            } else if ((c == '}' || c == ']') && --depth < 0) {
                return Shape.UNBALANCED;
            }
        }
        return depth == 0 && !inString ? Shape.BALANCED : Shape.UNBALANCED;
    }

    /** Whether the text nests objects/arrays deeper than {@code maxDepth}. */
    static boolean deeperThan(CharSequence json, int maxDepth) {
        return scan(json, maxDepth) == Shape.TOO_DEEP;
    }

    /**
     * The value of a leading {@code "resourceType"} member ({@code {"resourceType":"Observation",...}}, as bulk exports
     * and HAPI FHIR write it), or null when the text does not start that way.
     */
    static String leadingResourceType(String json) {
        int i = skipSpace(json, 0);
        if (i >= json.length() || json.charAt(i) != '{') {
            return null;
        }
        i = skipSpace(json, i + 1);
        if (!json.startsWith("\"resourceType\"", i)) {
            return null;
        }
        i = skipSpace(json, i + "\"resourceType\"".length());
        if (i >= json.length() || json.charAt(i) != ':') {
            return null;
        }
        i = skipSpace(json, i + 1);
        if (i >= json.length() || json.charAt(i) != '"') {
            return null;
        }
        int start = i + 1;
        int end = start;
        while (end < json.length() && Character.isLetterOrDigit(json.charAt(end))) {
            end++;
        }
        return end < json.length() && json.charAt(end) == '"' && end > start ? json.substring(start, end) : null;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
