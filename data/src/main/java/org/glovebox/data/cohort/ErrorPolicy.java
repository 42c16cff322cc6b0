package org.glovebox.data.cohort;

/**
 * How ingestion treats bad input. Defaults: malformed resources or CSV lines and values in unexpected units stop the
 * run (they usually mean the export or the cohort file is wrong); duplicate resources, common in bulk exports, are
 * skipped and counted.
 *
 * @param malformed    invalid JSON, truncated lines, resources HAPI FHIR rejects, CSV lines with the wrong number of
 *                     fields or non-numeric values
 * @param unitMismatch an observation quantity in a unit the feature does not accept
 * @param duplicate    a resource whose type and id were already read (the first one wins)
 */
public record ErrorPolicy(ErrorAction malformed, ErrorAction unitMismatch, ErrorAction duplicate) {

    /** The defaults described above. */
    public static final ErrorPolicy DEFAULT = new ErrorPolicy(null, null, null);

    public ErrorPolicy {
        malformed = malformed == null ? ErrorAction.FAIL : malformed;
        unitMismatch = unitMismatch == null ? ErrorAction.FAIL : unitMismatch;
        duplicate = duplicate == null ? ErrorAction.SKIP : duplicate;
    }
}
