package org.glovebox.data.cohort;

/** Where a cohort's data comes from. */
public enum DataSource {
    /** FHIR R4 resources: JSON Bundles or NDJSON bulk-export files. */
    FHIR,
    /** A delimited text file with one record per line. */
    CSV
}
