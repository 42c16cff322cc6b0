package org.glovebox.data.fhir;

/**
 * A linear-time scan for how deeply a JSON text nests objects and arrays, run before the text reaches a recursive
 * parser so that hostile input (thousands of nested brackets) fails fast with a clear message. Real FHIR resources
 * nest a few dozen levels at most.
 */
final class JsonNesting {

    private JsonNesting() {
    }

    /** Whether the text nests objects/arrays deeper than {@code maxDepth}; brackets inside strings do not count. */
    static boolean deeperThan(CharSequence json, int maxDepth) {
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
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }
}
