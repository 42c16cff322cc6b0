package org.glovebox.data;

/**
 * External input (a cohort file, a FHIR export, a CSV file) that cannot be used as it is. The message always starts
 * with the {@link SourceLocation} of the problem and never contains patient values, so it is safe to print and log.
 */
public class DataInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;
    private final String problem;

    public DataInputException(SourceLocation location, String problem) {
        this(location, problem, null);
    }

    public DataInputException(SourceLocation location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    /** Where the problem is. */
    public SourceLocation location() {
        return location;
    }

    /** What the problem is, without the location prefix. */
    public String problem() {
        return problem;
    }
}
