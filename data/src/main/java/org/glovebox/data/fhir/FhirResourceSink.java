package org.glovebox.data.fhir;

import org.glovebox.data.SourceLocation;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Receives the resources a {@link FhirResourceReader} streams, in input order, on the thread that called it. */
@FunctionalInterface
public interface FhirResourceSink {

    /**
     * @param resource a parsed resource (never a Bundle: bundles are unpacked into their entries)
     * @param where    its file, line and {@code Type/id}
     */
    void accept(IBaseResource resource, SourceLocation where);
}
