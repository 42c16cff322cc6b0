package org.glovebox.data.fhir;

/**
 * Bounds that keep hostile or corrupt FHIR input from exhausting memory or the stack: such input fails (or is skipped)
 * with a located message instead.
 *
 * @param maxResourceChars longest accepted NDJSON line or single resource, in characters
 * @param maxDepth         deepest accepted nesting of JSON objects and arrays within one resource
 * @param parserThreads    threads that parse resources in parallel with reading (1: parse on the calling thread)
 */
public record FhirReadLimits(int maxResourceChars, int maxDepth, int parserThreads) {

    /**
     * 16 Mi characters per resource (large attachments excepted, clinical resources are a few kilobytes), 100 levels
     * of nesting, and one parser thread per available processor (at most 4).
     */
    public static final FhirReadLimits DEFAULT = new FhirReadLimits(16 << 20, 100,
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));

    public FhirReadLimits {
        if (maxResourceChars < 64 || maxDepth < 8 || parserThreads < 1) {
            throw new IllegalArgumentException("limits too small: " + maxResourceChars + " chars, depth " + maxDepth
                    + ", " + parserThreads + " threads");
        }
    }

    /** The same limits with another number of parser threads. */
    public FhirReadLimits withParserThreads(int threads) {
        return new FhirReadLimits(maxResourceChars, maxDepth, threads);
    }
}
