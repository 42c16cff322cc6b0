package org.glovebox.data.io;

import org.glovebox.data.DataInputException;
import org.glovebox.data.SourceLocation;

/** A line exceeded the reader's length limit; {@link BoundedLineReader#skipRestOfLine()} can resume after it. */
public final class LineTooLongException extends DataInputException {

    private static final long serialVersionUID = 1L;

    LineTooLongException(SourceLocation location, int limit) {
        super(location, "line is longer than the limit of " + limit + " characters (corrupt or hostile input?)");
    }
}
