package org.glovebox.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import org.glovebox.data.DataInputException;
import org.glovebox.data.SourceLocation;

/**
 * Reads text line by line with a hard limit on line length, so that a hostile or corrupt file (a multi-gigabyte line,
 * a binary file) fails with a located error instead of exhausting memory. Accepts LF, CRLF and lone CR line endings and a
 * missing final newline; counts lines from 1.
 */
public final class BoundedLineReader implements Closeable {

    private final Reader in;
    private final String fileName;
    private final int maxLineChars;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long lineNumber;
    private boolean pendingCarriageReturn;
    private boolean endOfInput;

    /**
     * @param in           the text to read (closed by {@link #close()})
     * @param fileName     name used in error messages
     * @param maxLineChars longest accepted line, in characters, excluding the line ending
     */
    public BoundedLineReader(Reader in, String fileName, int maxLineChars) {
        if (maxLineChars < 1) {
            throw new IllegalArgumentException("maxLineChars must be positive");
        }
        this.in = in;
        this.fileName = fileName;
        this.maxLineChars = maxLineChars;
    }

    /**
     * The next line without its line ending, or null at the end of input.
     *
     * @throws LineTooLongException when the line exceeds the limit
     * @throws DataInputException   when the text is not valid UTF-8 or cannot be read
     */
    public String readLine() {
        StringBuilder line = null;
        while (true) {
            if (position == limit && !fill()) {
                if (line == null) {
                    return null;
                }
                lineNumber++;
                return line.toString();
            }
            if (pendingCarriageReturn) {
                pendingCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < limit) {
                char c = buffer[position];
                if (c == '\n' || c == '\r') {
                    String text = append(line, start, position);
                    position++;
                    pendingCarriageReturn = c == '\r';
                    lineNumber++;
                    return text;
                }
                position++;
            }
            if (line == null) {
                line = new StringBuilder(Math.min(maxLineChars, 2 * (position - start) + 16));
            }
            appendChecked(line, start, position);
        }
    }

    /**
     * After {@link #readLine()} failed because a line was too long, discards the rest of that line so that reading can
     * go on with the next one (for callers that skip bad input instead of stopping).
     */
    public void skipRestOfLine() {
        while (true) {
            if (position == limit && !fill()) {
                lineNumber++;
                return;
            }
            while (position < limit) {
                char c = buffer[position++];
                if (c == '\n' || c == '\r') {
                    pendingCarriageReturn = c == '\r';
                    lineNumber++;
                    return;
                }
            }
        }
    }

    /** Number of the line most recently returned by {@link #readLine()} (1-based; 0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    private String append(StringBuilder line, int start, int end) {
        if (line == null) {
            checkLength(end - start);
            return new String(buffer, start, end - start);
        }
        appendChecked(line, start, end);
        return line.toString();
    }

    private void appendChecked(StringBuilder line, int start, int end) {
        checkLength((long) line.length() + (end - start));
        line.append(buffer, start, end - start);
    }

    private void checkLength(long length) {
        if (length > maxLineChars) {
            throw new LineTooLongException(SourceLocation.of(fileName, lineNumber + 1), maxLineChars);
        }
    }

    private boolean fill() {
        if (endOfInput) {
            return false;
        }
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                endOfInput = true;
                position = limit = 0;
                return false;
            }
            position = 0;
            limit = n;
            return true;
        } catch (CharacterCodingException e) {
            throw new DataInputException(SourceLocation.of(fileName, lineNumber + 1),
                    "not valid UTF-8 text (binary file or wrong encoding)", e);
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(fileName, lineNumber + 1), "cannot read: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
