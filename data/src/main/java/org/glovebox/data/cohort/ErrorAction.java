package org.glovebox.data.cohort;

/** What to do when a piece of input cannot be used. */
public enum ErrorAction {
    /** Stop with an exception naming the file, line and resource. */
    FAIL,
    /** Leave the piece out, count it in the report and keep the first few locations as examples. */
    SKIP
}
