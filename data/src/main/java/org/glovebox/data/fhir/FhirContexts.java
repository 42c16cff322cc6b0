package org.glovebox.data.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;

/**
 * The one shared HAPI FHIR R4 context of the JVM. Creating a {@link FhirContext} scans the whole FHIR model and takes
 * seconds, so it is created once, lazily, on first use, and shared; it is thread-safe. Parsers are cheap but not
 * thread-safe: get a new one per thread with {@link #newJsonParser()}.
 */
public final class FhirContexts {

    private FhirContexts() {
    }

    /** Initialization-on-demand holder: the JVM guarantees one thread-safe initialization. */
    private static final class R4 {
        static final FhirContext CONTEXT = create();

        private static FhirContext create() {
            FhirContext context = FhirContext.forR4();
            // Scan model classes when first needed rather than all up front: faster start, same behaviour.
            context.setPerformanceOptions(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
            return context;
        }
    }

    /** The shared R4 context. */
    public static FhirContext r4() {
        return R4.CONTEXT;
    }

    /**
     * A new JSON parser that tolerates unknown elements without logging them: HAPI's default handler logs messages
     * that can quote element values, and logs must never contain patient data.
     */
    public static IParser newJsonParser() {
        IParser parser = r4().newJsonParser();
        parser.setParserErrorHandler(new LenientErrorHandler(false));
        return parser;
    }
}
